"""Crisis escalation on real JetStream with a clock the test moves: an unacknowledged flag
escalates along the duty chain in order and then keeps alerting the branch lead; an
acknowledgement stops it; a restart mid-deadline neither drops nor repeats a step."""

import json
from functools import partial

import pytest

from helpers.apps import FAST, FakeClock, running
from helpers.backends import Databases
from helpers.sessions import known_matches, match
from helpers.streams import stream_messages
from helpers.waiting import wait_until
from sessions.app import create_app
from sessions.config import SessionsSettings

BRANCH = "kol-salt-lake"
CHAIN = [
    {"person_id": "dr-first", "role": "clinician"},
    {"person_id": "dr-second", "role": "clinician"},
    {"person_id": "sup-1", "role": "supervisor"},
    {"person_id": "lead-1", "role": "branch_lead"},
]


def settings(url: str, nats_url: str) -> SessionsSettings:
    # The job never runs by itself here (an hour apart): the test runs it after moving time.
    return SessionsSettings(
        database_url=url,
        nats_url=nats_url,
        crisis_ack_deadline_s=900,
        crisis_check_interval_s=3600,
        **FAST,
    )


async def flagged_match(service, nats_url: str) -> str:
    """A match sessions knows, with the branch's duty chain set; returns the match id."""
    await service.client.put(f"/duty-rosters/{BRANCH}", json={"chain": CHAIN})
    await known_matches(service, nats_url, match("mt_crisis", "pt_crisis", branch=BRANCH))
    return "mt_crisis"


async def escalations(nats_url: str) -> list[dict]:
    return [
        json.loads(m.data)["data"]
        for m in await stream_messages(nats_url, "SAATHI_SESSIONS")
        if m.subject == "sessions.crisis.escalated.v1"
    ]


def job(service):
    [found] = [x for x in service.runtime.listeners if x.name == "crisis-escalations"]
    return found


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


async def test_an_unacknowledged_crisis_escalates_in_order_until_someone_answers(
    clean_nats, dbs: Databases, clock
):
    config = settings(await dbs.url("sessions"), clean_nats)
    async with running(partial(create_app, clock=clock), config) as service:
        match_id = await flagged_match(service, clean_nats)
        response = await service.client.post(
            "/crises",
            json={"match_id": match_id, "severity": "high", "summary": "talking about ending it"},
        )
        assert response.status_code == 201, response.text
        crisis = response.json()
        assert crisis["alerts"][0]["person_id"] == "dr-first"

        clock.advance(minutes=14)
        assert await job(service).check() == 0  # not yet
        alerted = []
        for _ in range(5):
            clock.advance(minutes=15, seconds=1)
            assert await job(service).check() == 1
            row = (await service.client.get(f"/crises/{crisis['crisis_id']}")).json()
            alerted.append(row["alerts"][-1]["person_id"])
        assert alerted == ["dr-second", "sup-1", "lead-1", "lead-1", "lead-1"]

        answered = await service.client.post(
            f"/crises/{crisis['crisis_id']}/acknowledge", json={"person_id": "sup-1"}
        )
        assert answered.status_code == 200 and answered.json()["status"] == "acknowledged"
        clock.advance(hours=2)
        assert await job(service).check() == 0
        steps = await wait_until(
            lambda: escalations(clean_nats), lambda rows: len(rows) == 5, what="5 escalations"
        )
    assert [s["notified_person_id"] for s in steps] == alerted
    assert all("talking" not in json.dumps(s) for s in steps)  # the summary never travels


async def test_only_someone_alerted_may_acknowledge(clean_nats, dbs: Databases, clock):
    config = settings(await dbs.url("sessions"), clean_nats)
    async with running(partial(create_app, clock=clock), config) as service:
        match_id = await flagged_match(service, clean_nats)
        crisis = (
            await service.client.post("/crises", json={"match_id": match_id, "severity": "high"})
        ).json()
        url = f"/crises/{crisis['crisis_id']}"
        not_yet = await service.client.post(f"{url}/acknowledge", json={"person_id": "lead-1"})
        stranger = await service.client.post(f"{url}/acknowledge", json={"person_id": "dr-x"})
        first = await service.client.post(f"{url}/acknowledge", json={"person_id": "dr-first"})
        resolved = await service.client.post(
            f"{url}/resolve", json={"person_id": "dr-first", "resolution": "seen, safe plan"}
        )
        again = await service.client.post(
            f"{url}/resolve", json={"person_id": "dr-first", "resolution": "again"}
        )
    assert not_yet.status_code == 403 and stranger.status_code == 403
    assert first.status_code == 200
    assert resolved.json()["status"] == "resolved"
    assert again.status_code == 409


async def test_a_crisis_for_an_unknown_match_is_404(clean_nats, dbs: Databases, clock):
    config = settings(await dbs.url("sessions"), clean_nats)
    async with running(partial(create_app, clock=clock), config) as service:
        response = await service.client.post(
            "/crises", json={"match_id": "mt_nobody", "severity": "critical"}
        )
    assert response.status_code == 404


async def test_a_restart_mid_deadline_escalates_once(clean_nats, dbs: Databases, clock):
    config = settings(await dbs.url("sessions"), clean_nats)
    async with running(partial(create_app, clock=clock), config) as first:
        match_id = await flagged_match(first, clean_nats)
        crisis = (
            await first.client.post("/crises", json={"match_id": match_id, "severity": "high"})
        ).json()
        clock.advance(minutes=10)  # stopped with five minutes left on the deadline
    clock.advance(minutes=6)
    async with running(partial(create_app, clock=clock), config) as second:
        # Starting runs the job once: the overdue step happens now, and only once.
        await wait_until(
            lambda: escalations(clean_nats), lambda rows: len(rows) == 1, what="one escalation"
        )
        assert await job(second).check() == 0
        row = (await second.client.get(f"/crises/{crisis['crisis_id']}")).json()
    assert [a["person_id"] for a in row["alerts"]] == ["dr-first", "dr-second"]
    assert len(await escalations(clean_nats)) == 1
