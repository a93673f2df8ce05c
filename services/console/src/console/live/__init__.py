"""Screens kept current: events followed on NATS, and a person's alerts from notify."""
