"""The supervisor: the mentors they oversee with their load and certification, peer notes to
review, mentors' wellbeing checks, and logging supervision meetings."""
