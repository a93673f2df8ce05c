"""Session rules: when the introduction is held and which sessions can be completed."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sessions.calendar import domain
from shared.errors import Conflict


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, second, tzinfo=UTC)


def test_same_day_when_the_hour_is_still_ahead() -> None:
    assert domain.introduction_time(at(14, 6), after_hours=2, hour=11) == at(14, 11)


def test_next_day_when_the_hour_has_passed() -> None:
    assert domain.introduction_time(at(14, 10), after_hours=2, hour=11) == at(15, 11)


def test_exactly_after_hours_later_at_the_hour_is_that_slot() -> None:
    assert domain.introduction_time(at(14, 9), after_hours=2, hour=11) == at(14, 11)


def test_a_second_late_moves_to_the_next_day() -> None:
    assert domain.introduction_time(at(14, 9, 0, 1), after_hours=2, hour=11) == at(15, 11)


def test_default_wait_of_a_day_lands_on_the_next_days_slot() -> None:
    assert domain.introduction_time(at(14, 8, 45), after_hours=24, hour=11) == at(15, 11)


def test_waits_of_several_days_are_honoured() -> None:
    assert domain.introduction_time(at(14, 10), after_hours=48, hour=9) == at(17, 9)


def test_the_slot_is_at_the_hour_sharp() -> None:
    slot = domain.introduction_time(at(14, 7, 23, 41).replace(microsecond=5), 1, 15)

    assert (slot.hour, slot.minute, slot.second, slot.microsecond) == (15, 0, 0, 0)


def test_the_slot_crosses_month_end() -> None:
    matched = datetime(2026, 3, 31, 20, 0, tzinfo=UTC)

    assert domain.introduction_time(matched, 24, 11) == datetime(2026, 4, 2, 11, 0, tzinfo=UTC)


IST = timezone(timedelta(hours=5, minutes=30))


@given(
    matched_at=st.datetimes(
        min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1), timezones=st.just(IST)
    ),
    after_hours=st.integers(1, 24 * 14),
    hour=st.integers(0, 23),
)
def test_introduction_is_the_first_slot_after_the_wait(
    matched_at: datetime, after_hours: int, hour: int
) -> None:
    earliest = matched_at + timedelta(hours=after_hours)

    slot = domain.introduction_time(matched_at, after_hours, hour)

    assert slot >= earliest
    assert slot - earliest < timedelta(days=1)
    assert (slot.hour, slot.minute, slot.second, slot.microsecond) == (hour, 0, 0, 0)
    assert slot.utcoffset() == matched_at.utcoffset()


def test_a_scheduled_session_can_be_completed() -> None:
    domain.check_can_complete("scheduled")


@pytest.mark.parametrize("status", ["completed", "cancelled"])
def test_only_a_scheduled_session_can_be_completed(status: str) -> None:
    with pytest.raises(Conflict, match=status):
        domain.check_can_complete(status)
