"""Calendar rules (pure): no double bookings, only when available, the first free slot, missed."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from sessions.calendar import domain as calendar
from sessions.calendar.domain import Booking, Slot
from shared.errors import Conflict, Invalid

IST = ZoneInfo("Asia/Kolkata")
MONDAY_11_IST = datetime(2026, 11, 30, 11, 0, tzinfo=IST)
BUSY = Booking("ss_1", MONDAY_11_IST, 45)


@pytest.mark.parametrize(
    ("start", "minutes", "clash"),
    [
        (MONDAY_11_IST, 45, True),
        (MONDAY_11_IST + timedelta(minutes=30), 45, True),
        (MONDAY_11_IST - timedelta(minutes=30), 45, True),
        (MONDAY_11_IST + timedelta(minutes=45), 45, False),  # starts as the other ends
        (MONDAY_11_IST - timedelta(minutes=45), 45, False),  # ends as the other starts
    ],
)
def test_sessions_that_overlap_clash_and_touching_ones_do_not(start, minutes, clash) -> None:
    assert calendar.overlaps(start, minutes, BUSY) is clash


def test_a_session_must_fit_inside_a_weekly_slot_in_branch_time() -> None:
    slots = [Slot(0, time(10, 0), time(13, 0))]  # Mondays 10:00-13:00 IST
    assert calendar.within(MONDAY_11_IST, 45, slots, IST)
    assert calendar.within(MONDAY_11_IST.astimezone(UTC), 45, slots, IST)  # same instant
    assert not calendar.within(MONDAY_11_IST + timedelta(hours=2), 45, slots, IST)  # runs over
    assert not calendar.within(MONDAY_11_IST + timedelta(days=1), 45, slots, IST)  # Tuesday
    assert calendar.within(MONDAY_11_IST + timedelta(days=1), 45, [], IST)  # no slots: any time


def test_booking_refuses_a_busy_mentor_a_busy_patient_or_an_unavailable_time() -> None:
    later = MONDAY_11_IST + timedelta(minutes=15)
    with pytest.raises(Conflict, match="mentor already has a session"):
        calendar.check_bookable(later, 45, [BUSY], [], [], IST)
    with pytest.raises(Conflict, match="patient already has a session"):
        calendar.check_bookable(later, 45, [], [BUSY], [], IST)
    with pytest.raises(Invalid, match="not available"):
        calendar.check_bookable(later, 45, [], [], [Slot(2, time(9), time(17))], IST)
    calendar.check_bookable(MONDAY_11_IST + timedelta(hours=1), 45, [BUSY], [BUSY], [], IST)


def test_the_first_free_slot_skips_bookings_and_waits_for_availability() -> None:
    slots = [Slot(0, time(10, 0), time(13, 0))]
    assert calendar.first_free(MONDAY_11_IST, 45, [BUSY], slots, IST) == (
        MONDAY_11_IST + timedelta(hours=1)
    )
    full = [Booking(f"ss_{n}", MONDAY_11_IST + timedelta(minutes=30 * n), 30) for n in range(4)]
    # Monday is full until 13:00, so the next Monday at 10:00 is the first free time.
    assert calendar.first_free(MONDAY_11_IST, 45, full, slots, IST) == datetime(
        2026, 12, 7, 10, 0, tzinfo=IST
    )
    assert calendar.first_free(MONDAY_11_IST, 45, [], [], IST, horizon=timedelta(0)) is None


def test_a_session_is_missed_only_after_its_end_and_the_grace() -> None:
    grace = timedelta(hours=2)
    end = MONDAY_11_IST + timedelta(minutes=45)
    assert not calendar.missed(MONDAY_11_IST, 45, grace, end + grace)
    assert calendar.missed(MONDAY_11_IST, 45, grace, end + grace + timedelta(seconds=1))
