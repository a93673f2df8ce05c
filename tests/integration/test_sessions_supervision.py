"""Supervision and mentor wellbeing on real JetStream: a mentor's load as the supervisor sees
it, peer notes to review, meetings, and wellbeing checks (one asking for support tells the
supervisor through the outbox)."""

from datetime import UTC, datetime, timedelta

import pytest

from helpers.apps import FakeClock
from helpers.backends import Databases
from helpers.groups import BRANCH, SUPERVISOR, announce, mentor
from helpers.sessions import known_matches, match, sessions_running
from helpers.streams import messages_on
from helpers.waiting import wait_until
from shared.contracts.registry import decode
from shared.contracts.sessions import WellbeingSupportRequested

NOW = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)


@pytest.fixture
async def sessions(clean_nats, dbs: Databases):
    clock = FakeClock(NOW)
    async with sessions_running(clean_nats, dbs, clock) as service:
        states = [match(f"mt_{n}", f"pt_{n}", "mn_s", matched_at=NOW) for n in (1, 2)]
        await known_matches(service, clean_nats, *states)
        yield service


async def test_the_supervisor_sees_load_notes_and_wellbeing(sessions):
    client = sessions.client
    first, second = (await client.get("/sessions", params={"mentor_id": "mn_s"})).json()
    await client.post(
        f"/sessions/{first['session_id']}/complete",
        json={"attended": True, "duration_minutes": 40, "note": "talked about home"},
    )
    await client.post(f"/sessions/{second['session_id']}/missed")
    await client.post(
        "/mentors/mn_s/wellbeing-checks",
        json={"score": 2, "wants_support": True, "note": "a heavy week"},
    )

    load = (await client.get("/mentors/mn_s/load")).json()
    assert load == {
        "mentor_id": "mn_s",
        "active_mentees": 2,
        "sessions_next_7_days": 0,
        "completed_last_30_days": 1,
        "missed_last_30_days": 1,
        "notes_to_review": 1,
        "latest_wellbeing": 2,
        "wants_support": True,
    }
    [note] = (await client.get("/mentors/mn_s/notes-to-review")).json()
    assert note["note"] == "talked about home"
    reviewed = await client.post(
        f"/sessions/{note['session_id']}/note-review", json={"supervisor_id": "sup-1"}
    )
    nothing = await client.post(
        f"/sessions/{second['session_id']}/note-review", json={"supervisor_id": "sup-1"}
    )
    assert reviewed.json()["note_reviewed_by"] == "sup-1"
    assert nothing.status_code == 409
    assert (await client.get("/mentors/mn_s/notes-to-review")).json() == []

    meeting = await client.post(
        "/supervision-meetings",
        json={"supervisor_id": "sup-1", "mentor_id": "mn_s", "minutes": 30},
    )
    assert meeting.status_code == 201
    assert meeting.json()["held_at"].startswith(NOW.isoformat()[:16].replace("+00:00", ""))
    booked = await client.post(
        "/sessions",
        json={"match_id": "mt_1", "scheduled_for": (NOW + timedelta(days=2)).isoformat()},
    )
    assert booked.status_code == 201
    assert (await client.get("/mentors/mn_s/load")).json()["sessions_next_7_days"] == 1


async def test_only_the_mentors_own_supervisor_reviews_their_notes(sessions, clean_nats):
    client = sessions.client
    await announce(sessions, clean_nats, mentor("mn_s"))  # supervised by SUPERVISOR
    first, _ = (await client.get("/sessions", params={"mentor_id": "mn_s"})).json()
    await client.post(
        f"/sessions/{first['session_id']}/complete",
        json={"attended": True, "duration_minutes": 30, "note": "planned the week"},
    )

    stranger = await client.post(
        f"/sessions/{first['session_id']}/note-review", json={"supervisor_id": "sup-other"}
    )
    own = await client.post(
        f"/sessions/{first['session_id']}/note-review", json={"supervisor_id": SUPERVISOR}
    )

    assert stranger.status_code == 403 and "does not supervise mn_s" in stranger.text
    assert own.status_code == 200
    [load] = (await client.get(f"/supervisors/{SUPERVISOR}/mentors")).json()
    assert load["mentor_id"] == "mn_s" and load["active_mentees"] == 2


async def test_a_check_asking_for_support_tells_the_supervisor_once_and_says_nothing_else(
    sessions, clean_nats
):
    client = sessions.client
    await announce(sessions, clean_nats, mentor("mn_s", branches=[BRANCH, "kol-behala"]))

    fine = await client.post("/mentors/mn_s/wellbeing-checks", json={"score": 4})
    asked = await client.post(
        "/mentors/mn_s/wellbeing-checks",
        json={"score": 2, "wants_support": True, "note": "a heavy week at home"},
    )
    [message] = await wait_until(
        lambda: messages_on(clean_nats, "SAATHI_SESSIONS", "sessions.wellbeing."),
        what="support requested",
    )

    assert fine.status_code == asked.status_code == 201
    event = decode(message.subject, message.data)
    assert isinstance(event, WellbeingSupportRequested)
    assert event.data.check_id == asked.json()["check_id"]
    assert (event.data.mentor_id, event.data.supervisor_id) == ("mn_s", SUPERVISOR)
    assert event.data.branches == ["kol-behala", BRANCH] and event.branch == "kol-behala"
    assert b"heavy week" not in message.data and b'"score"' not in message.data
