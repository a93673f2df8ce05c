"""Session rules: when the introduction happens and which changes a session allows."""

import secrets
from datetime import datetime, timedelta

from shared.errors import Conflict


def new_session_id() -> str:
    """A random session id."""
    return f"ss_{secrets.token_hex(10)}"


def introduction_time(matched_at: datetime, after_hours: int, hour: int) -> datetime:
    """The first slot at `hour` o'clock at least `after_hours` after the match."""
    earliest = matched_at + timedelta(hours=after_hours)
    slot = earliest.replace(hour=hour, minute=0, second=0, microsecond=0)
    return slot if slot >= earliest else slot + timedelta(days=1)


def check_can_complete(status: str) -> None:
    """Only a scheduled session can be completed."""
    if status != "scheduled":
        raise Conflict(f"session is {status}; only a scheduled session can be completed")
