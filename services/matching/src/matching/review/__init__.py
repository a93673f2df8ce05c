"""Review of proposed matches: a coordinator's approval or rejection, a supervisor's
sign-off, and escalation past the deadline."""
