"""The signed-in person's own alerts, on whichever screen they work in: every alert notify
sends reaches a page its addressee opens, and is acknowledged there."""
