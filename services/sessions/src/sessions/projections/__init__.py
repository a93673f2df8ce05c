"""Other services' state as sessions last applied it (matches, mentors, stays, consent, merges)."""
