"""Mentors who are patients: a coordinator links a mentor to their own patient record."""
