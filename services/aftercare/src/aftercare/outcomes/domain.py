"""Outcome arithmetic: rates, the median wait, the period as instants, each stay's first
match, and calendar months in the branches' time zone."""

import statistics
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta, tzinfo


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


def month_of(moment: datetime, zone: tzinfo) -> str:
    """The calendar month (`YYYY-MM`) a moment falls in, in the branches' time zone."""
    return moment.astimezone(zone).strftime("%Y-%m")


def next_month(key: str) -> str:
    """The month after `key` (`YYYY-MM`)."""
    year, month = (int(part) for part in key.split("-"))
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return f"{year:04d}-{month:02d}"


def months_from(first: str, last: str) -> list[str]:
    """Every month from `first` to `last` (`YYYY-MM`, both included), in order."""
    found: list[str] = []
    key = first
    while key <= last:
        found.append(key)
        key = next_month(key)
    return found


def months_bounds(first: str, last: str, zone: tzinfo) -> tuple[datetime, datetime]:
    """The months as UTC instants: from the first month's first midnight to the midnight after
    the last month, in the branches' time zone."""
    start, end = (
        datetime.strptime(f"{key}-01", "%Y-%m-%d").replace(tzinfo=zone)
        for key in (first, next_month(last))
    )
    return start.astimezone(UTC), end.astimezone(UTC)
