"""Duty rosters with shifts (pure): which shift is on duty at an instant in the roster's time zone,
which shifts overlap, and which stretches of a week nobody covers.

A shift covers `starts`-`ends` (local wall-clock time) on each of its `days`; an `ends` at or
before `starts` crosses midnight into the next day (`00:00`-`00:00` is all day). Days are the
days a shift *starts* on: a Friday night shift 20:00-08:00 ends on Saturday morning. Shifts of
one roster may not overlap (each minute has at most one chain, so nobody has to guess which)."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from sessions.crisis.domain import OnDuty

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY = 24 * 60
WEEK = 7 * DAY
Span = tuple[int, int]  # minutes of the week, Monday 00:00 = 0, end exclusive


def minute_of_day(hhmm: str) -> int:
    """`"08:30"` → 510."""
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def clock_time(minute: int) -> str:
    """510 → `"08:30"`."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


@dataclass(frozen=True)
class Shift:
    """A named time window on some days of the week, and who is alerted in it, in order."""

    name: str
    days: tuple[int, ...]  # 0 = Monday
    starts: int  # minute of the day
    ends: int
    chain: tuple[OnDuty, ...]

    @property
    def length(self) -> int:
        """Minutes from start to end (crossing midnight when it ends at or before it starts)."""
        return (self.ends - self.starts) % DAY or DAY

    def spans(self) -> list[Span]:
        """The minutes of the week this shift covers (a span past Sunday wraps to Monday)."""
        found: list[Span] = []
        for day in self.days:
            start = day * DAY + self.starts
            end = start + self.length
            found += [(start, end)] if end <= WEEK else [(start, WEEK), (0, end - WEEK)]
        return found

    def covers(self, minute: int) -> bool:
        """Whether this shift is on at a minute of the week."""
        return any(start <= minute < end for start, end in self.spans())


@dataclass(frozen=True)
class Roster:
    """A branch's (or the network on-call's) shifts in its time zone."""

    time_zone: str
    shifts: tuple[Shift, ...]

    @property
    def zone(self) -> ZoneInfo:
        """The roster's time zone."""
        return ZoneInfo(self.time_zone)

    def on_duty(self, at: datetime) -> Shift | None:
        """The shift on duty at an instant (None: nobody on this roster then)."""
        local = at.astimezone(self.zone)
        minute = local.weekday() * DAY + local.hour * 60 + local.minute
        return next((shift for shift in self.shifts if shift.covers(minute)), None)

    def boundaries(self, start: datetime, end: datetime) -> set[datetime]:
        """Every instant between start and end at which one of its shifts may begin or end."""
        first = start.astimezone(self.zone).date() - timedelta(days=1)
        days = (end - start).days + 3
        cuts = set()
        for offset in range(days):
            day = first + timedelta(days=offset)
            for shift in self.shifts:
                for minute in (shift.starts, shift.ends):
                    cut = _instant(day, minute, self.zone)
                    if start < cut < end:
                        cuts.add(cut)
        return cuts


def _instant(day: date, minute: int, zone: ZoneInfo) -> datetime:
    local = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=zone)
    return local.astimezone(UTC)


def chain_at(rosters: list[Roster | None], at: datetime) -> list[OnDuty]:
    """The chain of the first roster with a shift on duty at `at` (the branch's, then the
    network on-call's); empty if none has one."""
    for roster in rosters:
        shift = roster.on_duty(at) if roster else None
        if shift is not None and shift.chain:
            return list(shift.chain)
    return []


def overlaps(shifts: tuple[Shift, ...]) -> list[str]:
    """Where two shifts of one roster are both on, e.g. `day and night overlap Mon 19:00-20:00`."""
    found = []
    for index, one in enumerate(shifts):
        for other in shifts[index + 1 :]:
            shared = [
                (max(a, c), min(b, d))
                for a, b in one.spans()
                for c, d in other.spans()
                if max(a, c) < min(b, d)
            ]
            if shared:
                found.append(f"{one.name} and {other.name} overlap {_week_span(*min(shared))}")
    return found


def _week_span(start: int, end: int) -> str:
    """`Mon 20:00-21:00` or `Sun 22:00-Mon 02:00`."""
    same_day = start // DAY == (end - 1) // DAY
    return f"{_week_minute(start)}-{clock_time(end % DAY) if same_day else _week_minute(end)}"


def _week_minute(minute: int) -> str:
    day, rest = divmod(minute % WEEK, DAY)
    return f"{DAYS[day].title()} {clock_time(rest)}"


def week_of(at: datetime, zone: ZoneInfo) -> datetime:
    """Monday 00:00 (local) of the week holding `at`, as an instant."""
    local = at.astimezone(zone)
    return _instant(local.date() - timedelta(days=local.weekday()), 0, zone)


def gaps(
    rosters: list[Roster | None], zone: ZoneInfo, at: datetime
) -> list[tuple[datetime, datetime]]:
    """The stretches of the week holding `at` (local to `zone`) when none of the rosters has
    anyone on duty, as local datetimes; a stretch across Sunday midnight is one."""
    start = week_of(at, zone)
    end = _instant((start + timedelta(days=7)).astimezone(zone).date(), 0, zone)
    cuts = {start, end}
    for roster in rosters:
        cuts |= roster.boundaries(start, end) if roster else set()
    ordered = sorted(cuts)
    found: list[tuple[datetime, datetime]] = []
    for a, b in pairwise(ordered):
        if chain_at(rosters, a + (b - a) / 2):
            continue
        if found and found[-1][1] == a:
            found[-1] = (found[-1][0], b)
        else:
            found.append((a, b))
    if len(found) > 1 and found[0][0] == start and found[-1][1] == end:
        found[0] = (found.pop()[0], found[0][1] + (end - start))
    return [(a.astimezone(zone), b.astimezone(zone)) for a, b in found]


def describe_gaps(found: list[tuple[datetime, datetime]]) -> str:
    """`Sun 02:00-08:00, Mon 00:00-Tue 00:00` (local), or `at any hour of the week`."""
    if len(found) == 1 and found[0][1] - found[0][0] >= timedelta(days=7):
        return "at any hour of the week"
    parts = []
    for a, b in found:
        same_day = b - a < timedelta(days=1) and (a.date() == b.date() or b.time() == time(0))
        parts.append(f"{a:%a %H:%M}-{b:%H:%M}" if same_day else f"{a:%a %H:%M}-{b:%a %H:%M}")
    return ", ".join(parts)
