"""Follow-up use cases: follow-ups and their contacts, first attendance, and tasks."""
