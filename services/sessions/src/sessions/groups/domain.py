"""Group rules (pure): when a weekly group meets, who may facilitate a meeting, who stands in
when the group's own facilitators cannot, and whether a group has room."""

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from shared.errors import Conflict


def new_group_id() -> str:
    """A random group id."""
    return f"gr_{secrets.token_hex(10)}"


def new_meeting_id() -> str:
    """A random group meeting id."""
    return f"gm_{secrets.token_hex(10)}"


@dataclass(frozen=True)
class Facilitator:
    """What the rules need of a mentor to let them facilitate."""

    mentor_id: str
    status: str
    languages: frozenset[str]
    branches: frozenset[str]
    certified_until: date | None


@dataclass(frozen=True)
class Weekly:
    """A weekly meeting time in the branch's local time (weekday 0 = Monday)."""

    weekday: int
    start: time
    starts_on: date
    ends_on: date | None


def meeting_starts(weekly: Weekly, tz: tzinfo, since: datetime, until: datetime) -> list[datetime]:
    """The starts (UTC-aware, as given) of a weekly group's meetings in [since, until)."""
    day = max(weekly.starts_on, since.astimezone(tz).date())
    last = until.astimezone(tz).date()
    if weekly.ends_on is not None:
        last = min(last, weekly.ends_on)
    day += timedelta(days=(weekly.weekday - day.weekday()) % 7)
    starts = []
    while day <= last:
        start = datetime.combine(day, weekly.start, tzinfo=tz).astimezone(since.tzinfo)
        if since <= start < until:
            starts.append(start)
        day += timedelta(days=7)
    return starts


def unfit_to_facilitate(
    mentor: Facilitator | None, branch: str | None, language: str, on: date
) -> str | None:
    """Why a mentor may not facilitate a group at `branch` (None: a network-wide group) in
    `language` on a day (None if they may): they must be active, hold valid core
    certifications that day, serve the branch and speak the group's language."""
    if mentor is None:
        return "is not in the mentor pool"
    if mentor.status != "active":
        return f"is {mentor.status.replace('_', ' ')}"
    if mentor.certified_until is None or mentor.certified_until < on:
        return f"has no valid core certifications on {on.isoformat()}"
    if branch is not None and branch not in mentor.branches:
        return f"does not serve {branch}"
    if language not in mentor.languages:
        return f"does not speak {language}"
    return None


@dataclass(frozen=True)
class Staffing:
    """Who facilitates a meeting; nobody means the meeting is cancelled."""

    facilitator_ids: tuple[str, ...]
    substitute: bool

    @property
    def cancelled(self) -> bool:
        """No one can facilitate."""
        return not self.facilitator_ids


def staff(
    own: Iterable[str],
    current: Iterable[str],
    current_is_substitute: bool,
    can_facilitate: Callable[[str], bool],
    candidates: Iterable[str],
) -> Staffing:
    """The group's own facilitators who can make it; failing them, the substitute already
    standing in (the patients were told), then the first candidate who can; else nobody."""
    own = list(own)
    present = tuple(m for m in own if can_facilitate(m))
    if present:
        return Staffing(present, substitute=False)
    if current_is_substitute:
        staying = tuple(m for m in current if can_facilitate(m))
        if staying:
            return Staffing(staying, substitute=True)
    for mentor_id in candidates:
        if mentor_id not in own and can_facilitate(mentor_id):
            return Staffing((mentor_id,), substitute=True)
    return Staffing((), substitute=False)


@dataclass(frozen=True)
class Audience:
    """Whom a group is for: a gender and age bands (None and empty: everyone)."""

    gender: str | None = None
    age_bands: tuple[str, ...] = ()


def audience_refusal(audience: Audience, gender: str | None, age_band: str | None) -> str | None:
    """Why a patient of this gender and age band (None: not stated) is not for a group of this
    audience; None if they are. A fact the audience needs must be stated."""
    if audience.gender is not None:
        if gender is None:
            return f"the group is for {audience.gender} patients only: state the patient's gender"
        if gender != audience.gender:
            return f"the group is for {audience.gender} patients only"
    if audience.age_bands:
        ages = ", ".join(audience.age_bands)
        if age_band is None:
            return f"the group is for ages {ages}: state the patient's age band"
        if age_band not in audience.age_bands:
            return f"the group is for ages {ages}"
    return None


def check_room(enrolled: int, capacity: int) -> None:
    """A full group takes no one else."""
    if enrolled >= capacity:
        raise Conflict(f"the group is full ({enrolled} of {capacity} places taken)")


def check_capacity_change(enrolled: int, capacity: int) -> None:
    """Capacity cannot drop below the patients already enrolled."""
    if capacity < enrolled:
        raise Conflict(
            f"{enrolled} patients are enrolled; capacity cannot go below that (ask some to "
            "move to another group first)"
        )


def notice_hours(starts_at: datetime, now: datetime) -> float:
    """How long before the start a cancellation reaches the patients."""
    return round(max((starts_at - now).total_seconds(), 0.0) / 3600, 1)
