"""Calendar rules (pure): when the introduction happens, a mentor is never booked twice at once
and only when available, and which changes a session allows."""

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo

from shared.errors import Conflict, Invalid


@dataclass(frozen=True)
class Slot:
    """A weekly window a mentor is available in, in the branch's local time (weekday 0 =
    Monday)."""

    weekday: int
    start: time
    end: time


@dataclass(frozen=True)
class Booking:
    """A session already on someone's calendar."""

    session_id: str
    start: datetime
    minutes: int

    @property
    def end(self) -> datetime:
        """When it ends."""
        return self.start + timedelta(minutes=self.minutes)


def overlaps(start: datetime, minutes: int, booking: Booking) -> bool:
    """Whether a session from `start` for `minutes` overlaps the booking (touching is fine)."""
    return start < booking.end and booking.start < start + timedelta(minutes=minutes)


def within(start: datetime, minutes: int, slots: Iterable[Slot], tz: tzinfo) -> bool:
    """Whether the session fits inside one of the weekly slots (no slots: always available)."""
    windows = list(slots)
    if not windows:
        return True
    local = start.astimezone(tz)
    end = local + timedelta(minutes=minutes)
    return end.date() == local.date() and any(
        s.weekday == local.weekday() and s.start <= local.time() and end.time() <= s.end
        for s in windows
    )


def check_bookable(
    start: datetime,
    minutes: int,
    mentor_busy: Iterable[Booking],
    patient_busy: Iterable[Booking],
    slots: Iterable[Slot],
    tz: tzinfo,
) -> None:
    """Refuse a time the mentor is not available at, or when the mentor or the patient already
    has a session."""
    if not within(start, minutes, slots, tz):
        raise Invalid("the mentor is not available then (see their weekly availability)")
    for who, busy in (("mentor", mentor_busy), ("patient", patient_busy)):
        for booking in busy:
            if overlaps(start, minutes, booking):
                raise Conflict(
                    f"the {who} already has a session from {booking.start.isoformat()} to "
                    f"{booking.end.isoformat()}"
                )


def first_free(
    earliest: datetime,
    minutes: int,
    busy: list[Booking],
    slots: list[Slot],
    tz: tzinfo,
    step: timedelta = timedelta(minutes=30),
    horizon: timedelta = timedelta(days=14),
) -> datetime | None:
    """The first start from `earliest` on (in `step`s) that is free and available, within
    `horizon`; None if there is none."""
    candidate = earliest
    while candidate < earliest + horizon:
        free = not any(overlaps(candidate, minutes, b) for b in busy)
        if free and within(candidate, minutes, slots, tz):
            return candidate
        candidate += step
    return None


def missed(start: datetime, minutes: int, grace: timedelta, now: datetime) -> bool:
    """A scheduled session nobody recorded by `grace` after its end was missed."""
    return start + timedelta(minutes=minutes) + grace < now


def check_future(start: datetime, now: datetime) -> None:
    """Sessions are booked ahead, not in the past."""
    if start <= now:
        raise Invalid("a session must be scheduled in the future")


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
