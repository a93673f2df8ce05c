"""The sessions service's audit trail."""
