"""Follow-up rules: when a new patient's first meeting is, and which contact counts as a
follow-up."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from aftercare.follow_up import domain

KOLKATA = ZoneInfo("Asia/Kolkata")
DISCHARGED = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)  # 11:30 in Kolkata, a Tuesday


def test_the_next_meeting_is_the_first_weekly_start_after_a_moment() -> None:
    wednesday_530pm = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)

    assert domain.next_meeting(2, "17:30", KOLKATA, DISCHARGED) == wednesday_530pm
    assert domain.next_meeting(2, "17:30", KOLKATA, wednesday_530pm) == wednesday_530pm + timedelta(
        days=7
    )


@pytest.mark.parametrize(
    ("at", "why"),
    [
        (DISCHARGED + timedelta(hours=5), "discharge day"),  # 16:30 the same day in Kolkata
        (DISCHARGED + timedelta(days=8), "window closed"),
        (DISCHARGED + timedelta(days=40), "ahead of time"),
    ],
)
def test_contacts_that_do_not_count_as_follow_up(at: datetime, why: str) -> None:
    now = DISCHARGED + timedelta(days=10)
    due_by = DISCHARGED + timedelta(days=7)

    found = domain.why_contact_does_not_count(at, DISCHARGED, due_by, KOLKATA, now)

    assert found is not None and why in found


def test_a_contact_the_day_after_discharge_counts() -> None:
    at = DISCHARGED + timedelta(hours=14)  # 01:30 the next day in Kolkata
    due_by = DISCHARGED + timedelta(days=7)

    assert domain.why_contact_does_not_count(at, DISCHARGED, due_by, KOLKATA, at) is None
