"""1:1 sessions on real JetStream: booking under the calendar rules, moving, cancelling,
missed sessions with a follow-up prompt (by the mentor, or found by the periodic sweep with a
clock the test moves), and introductions that avoid a busy slot."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from helpers.apps import FakeClock
from helpers.backends import Databases
from helpers.sessions import known_matches, sessions_running
from helpers.sessions import match as sessions_match
from helpers.streams import stream_messages
from shared.contracts.matching import MatchState

START = datetime(2026, 12, 1, 4, 0, tzinfo=UTC)  # a Tuesday, 09:30 in Kolkata


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
async def sessions(clean_nats, dbs: Databases, clock):
    async with sessions_running(
        clean_nats, dbs, clock, missed_check_interval_s=3600, missed_after_minutes=120
    ) as service:
        yield service


def match(match_id: str, patient_ref: str) -> MatchState:
    return sessions_match(match_id, patient_ref, matched_at=START)


def book(match_id: str, at: datetime, minutes: int = 45) -> dict:
    return {"match_id": match_id, "scheduled_for": at.isoformat(), "planned_minutes": minutes}


async def test_the_calendar_refuses_double_bookings_and_unavailable_times(sessions, clean_nats):
    client = sessions.client
    await known_matches(sessions, clean_nats, match("mt_a", "pt_a"), match("mt_b", "pt_b"))
    await client.put(
        "/mentors/mn_1/availability",
        json={"slots": [{"weekday": 3, "start": "14:00", "end": "18:00"}]},  # Thursdays
    )
    thursday_3pm = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)  # 15:00 in Kolkata

    first = await client.post("/sessions", json=book("mt_a", thursday_3pm))
    mentor_busy = await client.post(
        "/sessions", json=book("mt_b", thursday_3pm + timedelta(minutes=30))
    )
    unavailable = await client.post(
        "/sessions", json=book("mt_b", thursday_3pm + timedelta(days=1))
    )
    past = await client.post("/sessions", json=book("mt_b", START - timedelta(hours=1)))
    after = await client.post("/sessions", json=book("mt_b", thursday_3pm + timedelta(minutes=45)))

    assert first.status_code == 201, first.text
    assert first.json()["kind"] == "one_to_one" and first.json()["planned_minutes"] == 45
    assert mentor_busy.status_code == 409
    assert "mentor already has a session" in mentor_busy.json()["detail"]
    assert unavailable.status_code == 422 and "not available" in unavailable.json()["detail"]
    assert past.status_code == 422
    assert after.status_code == 201  # right after the first one ends


async def test_moving_cancelling_and_a_missed_session_that_prompts_the_mentor(
    sessions, clean_nats, clock
):
    client = sessions.client
    await known_matches(sessions, clean_nats, match("mt_a", "pt_a"))
    at = START + timedelta(days=2)
    booked = (await client.post("/sessions", json=book("mt_a", at))).json()
    other = (await client.post("/sessions", json=book("mt_a", at + timedelta(hours=3)))).json()

    clash = await client.post(
        f"/sessions/{booked['session_id']}/reschedule",
        json={"scheduled_for": (at + timedelta(hours=3, minutes=15)).isoformat()},
    )
    moved = await client.post(
        f"/sessions/{booked['session_id']}/reschedule",
        json={"scheduled_for": (at + timedelta(hours=1)).isoformat()},
    )
    cancelled = await client.post(
        f"/sessions/{other['session_id']}/cancel", json={"reason": "mentor unwell"}
    )
    assert clash.status_code == 409
    assert moved.status_code == 200 and moved.json()["version"] == 2
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["cancel_reason"] == "mentor unwell"

    missed = await client.post(f"/sessions/{booked['session_id']}/missed")
    assert missed.json()["status"] == "missed"
    [prompt] = (await client.get("/mentors/mn_1/prompts")).json()
    assert prompt["session_id"] == booked["session_id"]
    # The mentor books a follow-up: the prompt is answered.
    await client.post("/sessions", json=book("mt_a", at + timedelta(days=1)))
    assert (await client.get("/mentors/mn_1/prompts")).json() == []

    subjects = [m.subject for m in await stream_messages(clean_nats, "SAATHI_SESSIONS")]
    for subject in ("rescheduled", "cancelled", "missed"):
        assert f"sessions.session.{subject}.v1" in subjects


async def test_a_session_nobody_recorded_is_found_missed(sessions, clean_nats, clock):
    client = sessions.client
    [introduction] = await known_matches(sessions, clean_nats, match("mt_a", "pt_a"))
    [sweep] = [x for x in sessions.runtime.listeners if x.name == "missed-sessions"]
    start = datetime.fromisoformat(introduction["scheduled_for"])
    clock.current = start + timedelta(minutes=45 + 119)
    assert await sweep.check() == 0
    clock.advance(minutes=2)
    assert await sweep.check() == 1
    row = (await client.get(f"/sessions/{introduction['session_id']}")).json()
    assert row["status"] == "missed"
    stored = await stream_messages(clean_nats, "SAATHI_SESSIONS")
    [event] = [m for m in stored if m.subject == "sessions.session.missed.v1"]
    assert json.loads(event.data)["data"]["status"] == "missed"


async def test_an_introduction_avoids_the_mentors_busy_slot(sessions, clean_nats):
    rows = await known_matches(sessions, clean_nats, match("mt_a", "pt_a"), match("mt_b", "pt_b"))
    times = sorted(row["scheduled_for"] for row in rows)
    # 11:00 in Kolkata the next day, then the first free half hour after 45 minutes.
    assert times == ["2026-12-02T05:30:00Z", "2026-12-02T06:30:00Z"]
