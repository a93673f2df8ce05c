"""Duty shifts in the branch's time zone: the shift on duty at an instant (across midnight and
weekends), overlapping shifts named, and the hours of the week nobody covers."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from sessions.crisis.domain import OnDuty
from sessions.crisis.shifts import (
    Roster,
    Shift,
    chain_at,
    describe_gaps,
    gaps,
    minute_of_day,
    overlaps,
)

IST = ZoneInfo("Asia/Kolkata")
WEEKDAYS = (0, 1, 2, 3, 4)
DAY_DOC, NIGHT_DOC, WEEKEND_DOC = (
    OnDuty("dr-day", "clinician"),
    OnDuty("dr-night", "clinician"),
    OnDuty("dr-weekend", "clinician"),
)


def shift(name: str, days: tuple[int, ...], starts: str, ends: str, who: OnDuty) -> Shift:
    return Shift(name, days, minute_of_day(starts), minute_of_day(ends), (who,))


DAY = shift("day", WEEKDAYS, "08:00", "20:00", DAY_DOC)
NIGHT = shift("night", tuple(range(7)), "20:00", "08:00", NIGHT_DOC)
WEEKEND = shift("weekend", (5, 6), "08:00", "20:00", WEEKEND_DOC)
KOLKATA = Roster("Asia/Kolkata", (DAY, NIGHT, WEEKEND))


def ist(day: int, hhmm: str) -> datetime:
    """An instant in the week of Monday 2026-12-07 (IST), `day` 0 = Monday."""
    hours, minutes = map(int, hhmm.split(":"))
    return datetime(2026, 12, 7 + day, hours, minutes, tzinfo=IST)


@pytest.mark.parametrize(
    ("at", "on_duty"),
    [
        (ist(0, "08:00"), "day"),  # a shift starts on the minute
        (ist(0, "19:59"), "day"),
        (ist(0, "20:00"), "night"),  # and ends just before its end
        (ist(1, "03:00"), "night"),  # crossing midnight
        (ist(4, "23:30"), "night"),  # Friday night
        (ist(5, "07:59"), "night"),  # … into Saturday morning
        (ist(5, "08:00"), "weekend"),
        (ist(6, "21:00"), "night"),  # Sunday night
        (ist(0, "07:59"), "night"),  # … into Monday morning: the week wraps
    ],
)
def test_the_shift_on_duty_follows_the_branch_clock(at: datetime, on_duty: str) -> None:
    found = KOLKATA.on_duty(at)
    assert found is not None and found.name == on_duty


def test_the_instant_is_read_in_the_rosters_zone_not_utc() -> None:
    # 14:45 UTC on a Monday is 20:15 in Kolkata: the night shift, not the day.
    found = KOLKATA.on_duty(datetime(2026, 12, 7, 14, 45, tzinfo=UTC))
    assert found is not None and found.name == "night"


def test_a_zone_with_daylight_saving_keeps_wall_clock_shifts() -> None:
    london = Roster("Europe/London", (shift("day", tuple(range(7)), "09:00", "17:00", DAY_DOC),))
    # 09:30 local is 09:30 UTC in winter and 08:30 UTC in summer.
    assert london.on_duty(datetime(2026, 1, 5, 9, 30, tzinfo=UTC)) is not None
    assert london.on_duty(datetime(2026, 7, 6, 8, 30, tzinfo=UTC)) is not None
    assert london.on_duty(datetime(2026, 7, 6, 16, 30, tzinfo=UTC)) is None


def test_a_shift_from_midnight_to_midnight_is_all_day() -> None:
    always = Roster(
        "Asia/Kolkata", (shift("all hours", tuple(range(7)), "00:00", "00:00", DAY_DOC),)
    )
    assert gaps([always], IST, ist(2, "12:00")) == []


def test_the_branch_roster_comes_first_then_the_network_on_call() -> None:
    on_call = Roster(
        "Asia/Kolkata",
        (shift("on call", tuple(range(7)), "00:00", "00:00", OnDuty("net", "clinician")),),
    )
    days_only = Roster("Asia/Kolkata", (DAY,))
    assert chain_at([days_only, on_call], ist(0, "10:00")) == [DAY_DOC]
    assert chain_at([days_only, on_call], ist(0, "22:00")) == [OnDuty("net", "clinician")]
    assert chain_at([days_only, None], ist(0, "22:00")) == []


def test_overlapping_shifts_are_named_with_where_they_overlap() -> None:
    long_day = shift("long day", WEEKDAYS, "08:00", "21:00", DAY_DOC)
    assert overlaps((long_day, NIGHT)) == ["long day and night overlap Mon 20:00-21:00"]
    assert overlaps((DAY, NIGHT, WEEKEND)) == []
    sunday_night = shift("sunday night", (6,), "22:00", "09:00", NIGHT_DOC)
    assert overlaps((DAY, sunday_night)) == ["day and sunday night overlap Mon 08:00-09:00"]


def test_the_hours_nobody_covers_are_named_in_the_branch_zone() -> None:
    no_weekend = Roster("Asia/Kolkata", (DAY, NIGHT))
    found = gaps([no_weekend], IST, ist(2, "12:00"))
    assert describe_gaps(found) == "Sat 08:00-20:00, Sun 08:00-20:00"


def test_a_gap_across_sunday_midnight_is_one_stretch() -> None:
    sunday_off = Roster(
        "Asia/Kolkata",
        (
            shift("week", (0, 1, 2, 3, 4, 5), "02:00", "22:00", DAY_DOC),
            shift("nights", (0, 1, 2, 3, 4), "22:00", "02:00", NIGHT_DOC),
        ),
    )
    found = gaps([sunday_off], IST, ist(2, "12:00"))
    assert describe_gaps(found) == "Sat 22:00-Mon 02:00"


def test_a_network_on_call_in_another_zone_covers_a_branchs_gap() -> None:
    # Nights in Kolkata (20:00-08:00 IST) are 14:30-02:30 UTC.
    nights_utc = Roster("UTC", (shift("nights", tuple(range(7)), "14:30", "02:30", NIGHT_DOC),))
    days = Roster("Asia/Kolkata", (DAY, WEEKEND))
    assert gaps([days, nights_utc], IST, ist(2, "12:00")) == []
    short = Roster("UTC", (shift("nights", tuple(range(7)), "15:00", "02:30", NIGHT_DOC),))
    assert describe_gaps(gaps([days, short], IST, ist(2, "12:00"))).startswith("Mon 20:00-20:30")


def test_nobody_at_all_is_every_hour() -> None:
    assert describe_gaps(gaps([None, None], IST, ist(0, "00:00"))) == "at any hour of the week"
