"""Group rules: weekly meeting times in the branch's zone, who may facilitate, who stands in,
and capacity."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from sessions.groups import domain as group_rules
from sessions.groups.domain import Facilitator, Weekly
from shared.errors import Conflict

KOLKATA = ZoneInfo("Asia/Kolkata")
TUESDAY = datetime(2026, 12, 1, 4, 0, tzinfo=UTC)  # 09:30 in Kolkata
BRANCH = "kol-salt-lake"


def mentor(mentor_id: str = "mn_1", **overrides: object) -> Facilitator:
    fields: dict[str, object] = {
        "mentor_id": mentor_id,
        "status": "active",
        "languages": frozenset({"bn", "en"}),
        "branches": frozenset({BRANCH}),
        "certified_until": date(2027, 6, 30),
    }
    fields.update(overrides)
    return Facilitator(**fields)  # type: ignore[arg-type]


def test_a_weekly_group_meets_on_its_weekday_at_local_time():
    wednesdays_4pm = Weekly(2, time(16, 0), date(2026, 11, 1), None)

    starts = group_rules.meeting_starts(
        wednesdays_4pm, KOLKATA, TUESDAY, datetime(2026, 12, 29, tzinfo=UTC)
    )

    assert starts == [datetime(2026, 12, d, 10, 30, tzinfo=UTC) for d in (2, 9, 16, 23)]


def test_meetings_fall_between_the_groups_first_and_last_day():
    weekly = Weekly(2, time(16, 0), date(2026, 12, 9), date(2026, 12, 16))

    starts = group_rules.meeting_starts(weekly, KOLKATA, TUESDAY, datetime(2027, 1, 31, tzinfo=UTC))

    assert [s.date() for s in starts] == [date(2026, 12, 9), date(2026, 12, 16)]


def test_a_meeting_already_begun_is_not_planned_again():
    tuesday_9am = Weekly(1, time(9, 0), date(2026, 11, 1), None)  # started 30 minutes ago

    starts = group_rules.meeting_starts(
        tuesday_9am, KOLKATA, TUESDAY, datetime(2026, 12, 9, tzinfo=UTC)
    )

    assert starts == [datetime(2026, 12, 8, 3, 30, tzinfo=UTC)]


@pytest.mark.parametrize(
    ("who", "reason"),
    [
        (None, "is not in the mentor pool"),
        (mentor(status="on_leave"), "is on leave"),
        (mentor(certified_until=None), "has no valid core certifications on 2026-12-02"),
        (mentor(certified_until=date(2026, 12, 1)), "has no valid core certifications"),
        (mentor(branches=frozenset({"kol-behala"})), f"does not serve {BRANCH}"),
        (mentor(languages=frozenset({"hi"})), "does not speak bn"),
    ],
)
def test_who_may_not_facilitate_and_why(who, reason):
    found = group_rules.unfit_to_facilitate(who, BRANCH, "bn", date(2026, 12, 2))

    assert found is not None and found.startswith(reason)


def test_an_active_certified_mentor_of_the_branch_and_language_may_facilitate():
    assert group_rules.unfit_to_facilitate(mentor(), BRANCH, "bn", date(2026, 12, 2)) is None


def test_a_network_wide_group_takes_a_facilitator_of_any_branch():
    elsewhere = mentor(branches=frozenset({"kol-behala"}))
    assert group_rules.unfit_to_facilitate(elsewhere, None, "bn", date(2026, 12, 2)) is None


WOMEN_26_50 = group_rules.Audience("female", ("26-35", "36-50"))


@pytest.mark.parametrize(
    ("gender", "age_band", "refusal"),
    [
        (None, "26-35", "the group is for female patients only: state the patient's gender"),
        ("male", "26-35", "the group is for female patients only"),
        ("female", None, "the group is for ages 26-35, 36-50: state the patient's age band"),
        ("female", "65+", "the group is for ages 26-35, 36-50"),
        ("female", "36-50", None),
    ],
)
def test_a_group_for_an_audience_takes_only_patients_stated_to_be_of_it(gender, age_band, refusal):
    assert group_rules.audience_refusal(WOMEN_26_50, gender, age_band) == refusal


def test_a_group_for_everyone_needs_nothing_stated():
    assert group_rules.audience_refusal(group_rules.Audience(), None, None) is None


def test_the_groups_own_facilitator_leads_when_they_can():
    staffing = group_rules.staff(["mn_own"], ["mn_sub"], True, lambda m: True, ["mn_sub"])

    assert staffing == group_rules.Staffing(("mn_own",), substitute=False)


def test_a_substitute_stands_in_for_a_facilitator_who_cannot():
    staffing = group_rules.staff(
        ["mn_own"], ["mn_own"], False, lambda m: m != "mn_own", ["mn_own", "mn_a", "mn_b"]
    )

    assert staffing == group_rules.Staffing(("mn_a",), substitute=True)


def test_the_substitute_the_patients_were_told_of_stays():
    staffing = group_rules.staff(
        ["mn_own"], ["mn_b"], True, lambda m: m != "mn_own", ["mn_a", "mn_b"]
    )

    assert staffing == group_rules.Staffing(("mn_b",), substitute=True)


def test_a_co_facilitator_who_can_make_it_runs_the_meeting_alone():
    staffing = group_rules.staff(
        ["mn_1", "mn_2"], ["mn_1", "mn_2"], False, lambda m: m == "mn_2", ["mn_x"]
    )

    assert staffing == group_rules.Staffing(("mn_2",), substitute=False)


def test_with_nobody_to_facilitate_the_meeting_is_cancelled():
    staffing = group_rules.staff(["mn_own"], ["mn_own"], False, lambda m: False, ["mn_a"])

    assert staffing.cancelled


def test_a_full_group_takes_no_one_else():
    group_rules.check_room(enrolled=9, capacity=10)
    with pytest.raises(Conflict, match="full"):
        group_rules.check_room(enrolled=10, capacity=10)


def test_capacity_cannot_drop_below_those_enrolled():
    group_rules.check_capacity_change(enrolled=6, capacity=6)
    with pytest.raises(Conflict, match="6 patients are enrolled"):
        group_rules.check_capacity_change(enrolled=6, capacity=5)


def test_notice_is_the_time_left_before_the_start():
    starts = datetime(2026, 12, 2, 10, 30, tzinfo=UTC)

    assert group_rules.notice_hours(starts, TUESDAY) == 30.5
    assert group_rules.notice_hours(starts, starts) == 0.0
