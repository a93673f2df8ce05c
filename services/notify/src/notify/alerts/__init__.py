"""Alerts: the events that ask a person to act, turned into notifications and followed to
acknowledgement."""
