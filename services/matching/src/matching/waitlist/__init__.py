"""The waitlist: patients waiting for a mentor."""
