"""Outcome arithmetic: rates, the median wait, the period as instants, and each stay's first
match."""

import statistics
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta


def rate(part: int, whole: int) -> float | None:
    """`part / whole`, rounded to three places; None for nothing to count."""
    return round(part / whole, 3) if whole else None


def median_hours(waits: list[timedelta]) -> float | None:
    """The median of the waits in hours, to one place."""
    if not waits:
        return None
    return round(statistics.median(w.total_seconds() for w in waits) / 3600, 1)


def period_bounds(period_from: date, period_to: date) -> tuple[datetime, datetime]:
    """The period as UTC instants: from the first day's start to the last day's end."""
    return (
        datetime.combine(period_from, time.min, tzinfo=UTC),
        datetime.combine(period_to + timedelta(days=1), time.min, tzinfo=UTC),
    )


def earliest_by_key(pairs: Iterable[tuple[str, datetime]]) -> dict[str, datetime]:
    """The earliest moment for each key (a stay's first match among its matches)."""
    earliest: dict[str, datetime] = {}
    for key, moment in pairs:
        if key not in earliest or moment < earliest[key]:
            earliest[key] = moment
    return earliest
