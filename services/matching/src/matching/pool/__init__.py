"""The shared mentor pool: mentors, certifications, leave, links to their own patient
records, nominations, supervision, and the in-memory index the online decision reads."""
