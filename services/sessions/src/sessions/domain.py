"""Session rules: when the introduction happens and which changes a session allows."""

import secrets
from datetime import datetime, timedelta, tzinfo

from shared.errors import Conflict


def new_session_id() -> str:
    """A random session id."""
    return f"ss_{secrets.token_hex(10)}"


def introduction_time(
    matched_at: datetime, after_hours: int, hour: int, tz: tzinfo | None = None
) -> datetime:
    """The first `hour` o'clock slot (in `tz`, the branch zone) at least `after_hours` later."""
    earliest = (matched_at.astimezone(tz) if tz else matched_at) + timedelta(hours=after_hours)
    slot = earliest.replace(hour=hour, minute=0, second=0, microsecond=0)
    return slot if slot >= earliest else slot + timedelta(days=1)


def check_can_complete(status: str) -> None:
    """Only a scheduled session can be completed."""
    if status != "scheduled":
        raise Conflict(f"session is {status}; only a scheduled session can be completed")
