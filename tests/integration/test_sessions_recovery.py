"""Recovery goals and questionnaires on real JetStream: set, check in, close (events carry no
words of the patient); baseline then re-measurement, on schedule."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from helpers.apps import FakeClock
from helpers.backends import Databases
from helpers.sessions import known_matches, match, sessions_running
from helpers.streams import stream_messages
from helpers.waiting import wait_until

NOW = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
async def sessions(clean_nats, dbs: Databases, clock):
    async with sessions_running(clean_nats, dbs, clock) as service:
        await known_matches(service, clean_nats, match("mt_r", "pt_r", "mn_r", matched_at=NOW))
        yield service


async def test_a_goal_is_set_checked_in_and_achieved(sessions, clean_nats):
    client = sessions.client
    created = await client.post(
        "/goals",
        json={
            "match_id": "mt_r",
            "what": "Walk to the tea stall every morning",
            "why": "to feel part of the neighbourhood again",
            "steps": ["walk with my brother", "walk alone"],
            "target_date": "2027-01-15",
        },
    )
    assert created.status_code == 201, created.text
    goal = created.json()
    progressed = await client.post(
        f"/goals/{goal['goal_id']}/check-ins", json={"progress": 40, "note": "went twice"}
    )
    achieved = await client.post(f"/goals/{goal['goal_id']}/close", json={"status": "achieved"})
    late = await client.post(f"/goals/{goal['goal_id']}/check-ins", json={"progress": 50})
    assert progressed.json()["progress"] == 40
    assert achieved.json()["status"] == "achieved" and achieved.json()["progress"] == 100
    assert late.status_code == 409
    stored = await wait_until(
        lambda: stream_messages(clean_nats, "SAATHI_SESSIONS"),
        lambda rows: "sessions.goal.closed.v1" in {m.subject for m in rows},
        what="goal events",
    )
    goal_events = [m for m in stored if m.subject.startswith("sessions.goal.")]
    assert [m.subject for m in goal_events] == [
        "sessions.goal.set.v1",
        "sessions.goal.progressed.v1",
        "sessions.goal.closed.v1",
    ]
    assert all(b"tea stall" not in m.data and b"went twice" not in m.data for m in goal_events)
    assert [json.loads(m.data)["data"]["version"] for m in goal_events] == [1, 2, 3]


async def test_a_baseline_then_a_remeasurement_on_schedule(sessions, clock):
    client = sessions.client
    who5 = {"cheerful": 1, "calm": 1, "active": 2, "rested": 1, "interest": 2}
    first = await client.post(
        "/questionnaires/who5/responses", json={"match_id": "mt_r", "answers": who5}
    )
    assert first.status_code == 201, first.text
    assert (first.json()["kind"], first.json()["score"]) == ("baseline", 28.0)
    schedule = {
        d["questionnaire_id"]: d for d in (await client.get("/patients/pt_r/questionnaires")).json()
    }
    assert schedule["who5"]["due_at"] == (NOW + timedelta(days=14)).isoformat().replace(
        "+00:00", "Z"
    )
    assert schedule["phq9"]["last"] is None  # not taken: due now
    clock.advance(days=14)
    second = await client.post(
        "/questionnaires/who5/responses",
        json={"match_id": "mt_r", "answers": dict.fromkeys(who5, 3)},
    )
    assert (second.json()["kind"], second.json()["score"]) == ("remeasure", 60.0)
    bad = await client.post(
        "/questionnaires/who5/responses", json={"match_id": "mt_r", "answers": {"calm": 9}}
    )
    assert bad.status_code == 422
    unknown = await client.post(
        "/questionnaires/nope/responses", json={"match_id": "mt_r", "answers": {}}
    )
    assert unknown.status_code == 404
