"""Supervision and mentor wellbeing on real JetStream: a mentor's load as the supervisor sees
it, peer notes to review, meetings, and wellbeing checks."""

from datetime import UTC, datetime, timedelta
from functools import partial

import pytest

from helpers.apps import FAST, FakeClock, running
from helpers.backends import Databases
from helpers.sessions import known_matches, match
from sessions.app import create_app
from sessions.config import SessionsSettings

NOW = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)


@pytest.fixture
async def sessions(clean_nats, dbs: Databases):
    clock = FakeClock(NOW)
    config = SessionsSettings(database_url=await dbs.url("sessions"), nats_url=clean_nats, **FAST)
    async with running(partial(create_app, clock=clock), config) as service:
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
