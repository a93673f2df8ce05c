"""The clinician on duty: open crises with the time left before escalation, acknowledging and
resolving them, the escalation history, and their own alerts as they arrive."""
