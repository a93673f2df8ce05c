"""The time, from one place: services ask a clock, so tests can move time on at will."""

from datetime import datetime
from typing import Protocol

from shared.contracts.envelope import utcnow


class Clock(Protocol):
    """Something that tells the current time (timezone-aware UTC)."""

    def now(self) -> datetime:
        """The current time."""


class SystemClock:
    """The machine's clock."""

    def now(self) -> datetime:
        """The current time, UTC."""
        return utcnow()
