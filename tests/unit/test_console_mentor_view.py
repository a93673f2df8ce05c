"""The mentor screen's shaping: the week in the branch's zone, sessions still to log, how due a
questionnaire or goal is, and each mentee's crisis not yet resolved."""

from datetime import UTC, datetime

from console.mentor import view
from console.web.i18n import Translator

KOLKATA = "Asia/Kolkata"


def _session(session_id: str, at: str, status: str = "scheduled") -> dict:
    return {"session_id": session_id, "scheduled_for": at, "status": status}


def test_the_week_runs_monday_to_monday_in_the_branchs_zone() -> None:
    # Sunday 20:00 UTC is already Monday 01:30 in Kolkata: a new week there.
    start, end = view.week_of(datetime(2026, 12, 6, 20, 0, tzinfo=UTC), KOLKATA)
    assert start.isoformat() == "2026-12-07T00:00:00+05:30"
    assert end.isoformat() == "2026-12-14T00:00:00+05:30"


def test_sessions_shown_are_this_weeks_and_earlier_ones_never_logged() -> None:
    now = datetime(2026, 12, 9, 6, 0, tzinfo=UTC)  # a Wednesday
    rows = [
        _session("later-this-week", "2026-12-12T10:00:00+00:00"),
        _session("monday", "2026-12-07T04:00:00+00:00", "completed"),
        _session("last-week-logged", "2026-12-02T04:00:00+00:00", "completed"),
        _session("last-week-unlogged", "2026-12-01T04:00:00"),  # naive: UTC
        _session("next-week", "2026-12-14T04:00:00+00:00"),
        # Sunday 23:00 Kolkata time is still this week, though Monday in UTC terms is not.
        _session("sunday-night", "2026-12-13T17:30:00+00:00"),
    ]
    shown = [row["session_id"] for row in view.sessions_this_week(rows, now, KOLKATA)]
    assert shown == ["last-week-unlogged", "monday", "later-this-week", "sunday-night"]


def test_due_states_from_overdue_to_later() -> None:
    now = datetime(2026, 12, 9, 6, 0, tzinfo=UTC)
    assert view.due_state("2026-12-09T05:00:00+00:00", now) == "overdue"
    assert view.due_state("2026-12-09T20:00:00+00:00", now) == "due"
    assert view.due_state("2026-12-14T06:00:00+00:00", now) == "soon"
    assert view.due_state("2026-12-30T06:00:00+00:00", now) == "later"
    assert view.due_state(None, now) == "later"


def test_a_goals_target_date_is_due_until_the_day_is_over() -> None:
    now = datetime(2026, 12, 9, 20, 0, tzinfo=UTC)
    assert view.due_state("2026-12-09", now) == "due"
    assert view.due_state("2026-12-08", now) == "overdue"


def test_questionnaires_due_within_a_week_soonest_first_with_the_last_band() -> None:
    now = datetime(2026, 12, 9, 6, 0, tzinfo=UTC)
    schedule = [
        {"questionnaire_id": "who5", "due_at": "2026-12-20T00:00:00+00:00", "last": None},
        {"questionnaire_id": "phq9", "due_at": "2026-12-12T00:00:00+00:00", "last": None},
        {
            "questionnaire_id": "gad7",
            "due_at": "2026-12-01T00:00:00+00:00",
            "last": {"band": "mild"},
        },
    ]
    due = view.questionnaires_due(schedule, now)
    assert [(row["questionnaire_id"], row["state"]) for row in due] == [
        ("gad7", "overdue"),
        ("phq9", "soon"),
    ]
    assert due[0]["last_band"] == "mild" and due[1]["last_band"] is None
    titled = view.questionnaires_due(schedule, now, {"phq9": "Patient Health Questionnaire"})
    assert [row["title"] for row in titled] == ["GAD7", "Patient Health Questionnaire"]


def test_open_goals_only_nearest_target_first() -> None:
    now = datetime(2026, 12, 9, 6, 0, tzinfo=UTC)
    goals = [
        {"goal_id": "no-date", "status": "active", "target_date": None},
        {"goal_id": "done", "status": "achieved", "target_date": "2026-12-10"},
        {"goal_id": "far", "status": "active", "target_date": "2027-02-01"},
        {"goal_id": "near", "status": "active", "target_date": "2026-12-10"},
    ]
    shaped = view.open_goals(goals, now)
    assert [goal["goal_id"] for goal in shaped] == ["near", "far", "no-date"]
    assert [goal["state"] for goal in shaped] == ["soon", "later", "later"]


def test_each_matchs_newest_unresolved_crisis() -> None:
    crises = [
        {
            "crisis_id": "old",
            "match_id": "m1",
            "status": "acknowledged",
            "flagged_at": "2026-12-01T00:00:00+00:00",
        },
        {
            "crisis_id": "new",
            "match_id": "m1",
            "status": "open",
            "flagged_at": "2026-12-08T00:00:00+00:00",
        },
        {
            "crisis_id": "done",
            "match_id": "m2",
            "status": "resolved",
            "flagged_at": "2026-12-08T00:00:00+00:00",
        },
    ]
    found = view.crises_by_match(crises)
    assert {match: crisis["crisis_id"] for match, crisis in found.items()} == {"m1": "new"}


def test_a_flag_says_whether_someone_was_alerted() -> None:
    alerted = {"alerts": [{"level": 0, "person_id": "dr-duty", "role": "clinician"}]}
    assert view.flag_outcome(alerted) == "alerted"
    assert view.flag_outcome({"alerts": [{"level": 0}]}) == "nobody_on_duty"


def test_a_calendar_day_in_the_persons_language() -> None:
    english, bengali = Translator("en", "Asia/Kolkata"), Translator("bn", "Asia/Kolkata")
    assert english.day("2026-12-10") == "Dec 10, 2026"
    assert bengali.day("2026-12-10") == "১০ ডিসে, ২০২৬"  # the month and the digits in Bengali
    assert english.day(None) == "—"
