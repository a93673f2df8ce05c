"""Supervision of mentors: their load, peer notes to review, meetings, wellbeing checks."""
