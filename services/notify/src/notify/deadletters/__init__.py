"""Dead letters for ops over HTTP: list them (never their payload), replay or discard one with
a reason, and the record of who did what."""
