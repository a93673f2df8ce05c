"""Matches: reconciling each episode to one match, claiming a mentor's place, continuation
into aftercare, ending, and waitlist re-optimisation."""
