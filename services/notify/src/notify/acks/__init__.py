"""The signed, single-use, expiring link in a crisis message that acknowledges it."""
