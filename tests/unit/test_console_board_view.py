"""The board's shaping of the services' answers: a proposal's explanation as a table, why
nobody fits a waiting patient, mentors needing attention first, one task per task, today."""

from datetime import date
from zoneinfo import ZoneInfo

from console.board import view

TODAY = date(2026, 3, 10)  # a Tuesday
KOLKATA = ZoneInfo("Asia/Kolkata")
EXPLANATION = {
    "weights": {"continuity": 3.0, "in_person": 2.0, "load_balance": 1.0},
    "chosen": {
        "mentor_id": "m-a",
        "total": 2.5,
        "continuity": 0.0,
        "in_person": 1.0,
        "load_balance": 0.5,
    },
    "runners_up": [{"mentor_id": "m-b", "total": 2.0, "continuity": 0.0}],
}


def mentor(mentor_id: str = "m", **overrides: object) -> dict:
    body: dict = {
        "mentor_id": mentor_id,
        "languages": ["bn"],
        "branches": ["kol-behala"],
        "remote_ok": False,
        "status": "active",
        "on_leave_today": False,
        "certified_until": "2027-01-01",
        "capacity": 2,
        "active_mentees": 0,
        "leave": None,
    }
    return body | overrides


def test_the_explanation_is_a_row_per_criterion_with_the_points_it_earned():
    rows = view.explanation_rows(EXPLANATION)
    assert [r["criterion"] for r in rows] == ["continuity", "in_person", "load_balance"]
    assert rows[1] == {"criterion": "in_person", "weight": 2.0, "score": 1.0, "points": 2.0}
    assert rows[2]["points"] == 0.5
    assert view.runners_up(EXPLANATION) == [{"mentor_id": "m-b", "total": 2.0}]
    assert view.explanation_rows(None) == [] and view.runners_up({}) == []


def test_proposals_for_the_coordinator_come_first_with_their_table_and_total():
    supervisor_only = {
        "match_id": "x",
        "status": "proposed",
        "awaiting": ["supervisor"],
        "matched_at": "2026-03-10T01:00:00+00:00",
        "explanation": None,
    }
    mine = {
        "match_id": "y",
        "status": "proposed",
        "awaiting": ["coordinator"],
        "matched_at": "2026-03-10T02:00:00+00:00",
        "explanation": EXPLANATION,
    }
    made = {**mine, "match_id": "z", "status": "active"}
    rows = view.proposal_rows([supervisor_only, mine, made])
    assert [r["match_id"] for r in rows] == ["y", "x"]
    assert rows[0]["for_coordinator"] and rows[0]["total"] == 2.5 and len(rows[0]["criteria"]) == 3
    assert not rows[1]["for_coordinator"] and rows[1]["criteria"] == []


def test_nobody_speaks_the_language_or_serves_the_branch():
    waiting = {"language": "hi", "branch": "kol-behala"}
    assert view.why_nobody_fits(waiting, [mentor()], TODAY) == [
        {"key": "board.why.language", "count": None, "language": "hi", "branch": "kol-behala"}
    ]
    elsewhere = {"language": "bn", "branch": "kol-salt-lake"}
    assert view.why_nobody_fits(elsewhere, [mentor()], TODAY)[0]["key"] == "board.why.branch"
    remote = mentor(remote_ok=True)
    [could] = view.why_nobody_fits(elsewhere, [remote], TODAY)
    assert (could["key"], could["count"]) == ("board.why.could_fit", 1)


def test_those_who_could_are_counted_by_what_keeps_them():
    pool = [
        mentor("full", active_mentees=2),
        mentor("leave", on_leave_today=True, status="on_leave"),
        mentor("lapsed", certified_until="2026-03-09"),
        mentor("trainee", status="trainee"),
        mentor("another-full", active_mentees=3),
    ]
    why = view.why_nobody_fits({"language": "bn", "branch": "kol-behala"}, pool, TODAY)
    assert [(w["key"], w["count"]) for w in why] == [
        ("board.why.not_active", 1),
        ("board.why.on_leave", 1),
        ("board.why.certification", 1),
        ("board.why.full", 2),
    ]


def test_mentors_of_the_branch_needing_attention_come_first():
    pool = [
        mentor("a-fine"),
        mentor("b-soon", certified_until="2026-04-01"),
        mentor("c-full", active_mentees=2),
        mentor("d-other-branch", branches=["kol-salt-lake"]),
    ]
    rows = view.mentor_rows(pool, "kol-behala", TODAY)
    assert [r["mentor_id"] for r in rows] == ["b-soon", "c-full", "a-fine"]
    assert rows[0]["certification"] == "expires_soon" and rows[1]["full"]
    assert len(view.mentor_rows(pool, None, TODAY)) == 4
    assert view.certification_state(None, TODAY) == "missing"
    assert view.certification_state("2026-03-09", TODAY) == "expired"


def test_a_task_alerted_to_several_coordinators_is_one_open_task():
    def note(n: str, person: str, state: str = "sent", kind: str = "proposal") -> dict:
        return {
            "notification_id": n,
            "person_id": person,
            "kind": kind,
            "state": state,
            "subject_id": "match-1",
            "created_at": f"2026-03-10T0{n}:00:00+00:00",
        }

    rows = [
        note("1", "c1"),
        note("2", "c2"),
        note("3", "c3", "acknowledged", "outreach"),
        note("4", "c4", kind="crisis"),
    ]
    tasks = view.open_tasks(rows)
    assert [t["notification_id"] for t in tasks] == ["2"]


def test_today_is_the_branch_s_day():
    sessions = [
        {"session_id": "late", "scheduled_for": "2026-03-10T17:00:00+00:00"},  # 22:30 IST
        {"session_id": "early", "scheduled_for": "2026-03-09T19:00:00+00:00"},  # 00:30 IST
        {"session_id": "tomorrow", "scheduled_for": "2026-03-10T19:00:00+00:00"},
    ]
    found = view.todays_sessions(sessions, TODAY, KOLKATA)
    assert [s["session_id"] for s in found] == ["early", "late"]
    group = {"weekday": 1, "starts_on": "2026-01-01", "ends_on": None}
    assert view.meets_today(group, TODAY)
    assert not view.meets_today({**group, "weekday": 2}, TODAY)
    assert not view.meets_today({**group, "ends_on": "2026-03-01"}, TODAY)
    meetings = [{"meeting_id": "m1", "starts_at": "2026-03-10T12:00:00+00:00"}]
    assert view.todays_meeting(meetings, TODAY, KOLKATA) == meetings[0]
    assert view.branches_of([mentor(), mentor(branches=["a", "kol-behala"])]) == ["a", "kol-behala"]
