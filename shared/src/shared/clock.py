"""The time, from one place: services ask a clock, so tests can move time on at will."""

import logging
from datetime import datetime, timedelta
from pathlib import Path
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


class OffsetClock:
    """The machine's clock moved on by the seconds written in a file (missing or empty: none).
    For drills and browser tests that must let a deadline pass across processes; never set in
    production (the setting is `<SERVICE>_CLOCK_OFFSET_FILE`)."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._seen: tuple[float, float] = (-1.0, 0.0)  # (file mtime, offset)

    def offset_s(self) -> float:
        """The current offset, re-read whenever the file changes."""
        try:
            stamp = self._path.stat().st_mtime
        except FileNotFoundError:
            return 0.0
        if stamp != self._seen[0]:
            text = self._path.read_text().strip()
            self._seen = (stamp, float(text) if text else 0.0)
        return self._seen[1]

    def now(self) -> datetime:
        """The current time plus the offset, UTC."""
        return utcnow() + timedelta(seconds=self.offset_s())


def clock_from(offset_file: str | None) -> Clock:
    """The system clock, or an offset clock when a drill names its file."""
    if not offset_file:
        return SystemClock()
    logging.getLogger(__name__).warning(
        "the clock is moved by the seconds in %s (drills and tests only)", offset_file
    )
    return OffsetClock(Path(offset_file))
