"""The supervisor screen's shaping: certification state, who needs support, mentors joined to
their pool record, and notes the longest waiting first."""

from datetime import date

from console.supervisor import view

TODAY = date(2026, 12, 9)


def _load(mentor_id: str, wellbeing: int | None = None, wants: bool = False) -> dict:
    return {
        "mentor_id": mentor_id,
        "active_mentees": 1,
        "notes_to_review": 0,
        "latest_wellbeing": wellbeing,
        "wants_support": wants,
    }


def test_certification_states() -> None:
    assert view.certification_state(None, TODAY) == "missing"
    assert view.certification_state("2026-12-08", TODAY) == "expired"
    assert view.certification_state("2026-12-09", TODAY) == "expires_soon"
    assert view.certification_state(date(2027, 1, 8), TODAY) == "expires_soon"
    assert view.certification_state("2027-06-01", TODAY) == "valid"


def test_support_is_needed_when_asked_for_or_the_score_is_low() -> None:
    assert view.needs_support(_load("a", wants=True))
    assert view.needs_support(_load("a", wellbeing=2))
    assert not view.needs_support(_load("a", wellbeing=3))
    assert not view.needs_support(_load("a"))  # no check yet is not a low score


def test_mentors_joined_to_the_pool_those_needing_support_first() -> None:
    loads = [_load("m-b", 4), _load("m-a", 5), _load("m-c", 1), _load("m-gone")]
    profiles = {
        "m-a": {"display_name": "Asha", "certified_until": "2027-06-01"},
        "m-b": {"display_name": "Bina", "certified_until": "2026-12-01"},
        "m-c": {"display_name": "Chitra", "certified_until": None},
    }
    rows = view.mentor_rows(loads, profiles, TODAY)
    assert [row["mentor_id"] for row in rows] == ["m-c", "m-a", "m-b", "m-gone"]
    assert [row["certification"] for row in rows] == ["missing", "valid", "expired", "missing"]
    assert rows[-1]["name"] == "m-gone"  # no pool record: shown by id


def test_notes_the_longest_waiting_first_with_the_mentors_name() -> None:
    notes = [
        {"session_id": "s2", "mentor_id": "m-a", "completed_at": "2026-12-08T10:00:00"},
        {"session_id": "s1", "mentor_id": "m-b", "completed_at": "2026-12-07T10:00:00"},
    ]
    shaped = view.notes_oldest_first(notes, {"m-a": "Asha"})
    assert [(row["session_id"], row["mentor_name"]) for row in shaped] == [
        ("s1", "m-b"),
        ("s2", "Asha"),
    ]
