"""1:1 sessions: introductions on a match, booking within mentors' availability, completion and
missed sessions."""
