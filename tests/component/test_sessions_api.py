"""Sessions in-process: introduction on match, completion rules, cancellation when a match ends."""

from datetime import UTC, datetime

import pytest

from helpers import events
from helpers.apps import FAST, running
from helpers.events import Publisher
from helpers.waiting import wait_until
from sessions.app import create_app
from sessions.config import SessionsSettings
from sessions.projections.models import PatientMerge
from shared.contracts.matching import MatchEnded, MatchMade, MatchState


@pytest.fixture
async def sessions(clean_nats, dbs):
    settings = SessionsSettings(database_url=await dbs.url("sessions"), nats_url=clean_nats, **FAST)
    async with running(create_app, settings) as service:
        yield service


def match(version: int = 1, status: str = "active") -> MatchState:
    return MatchState(
        version=version,
        match_id="mt_1",
        episode_id="ep_1",
        patient_ref="pt_1",
        mentor_id="mn_1",
        branch="kol-salt-lake",
        status=status,  # type: ignore[arg-type]
        matched_at=datetime(2026, 11, 25, 9, 30, tzinfo=UTC),
    )


async def introduction(sessions):
    async def listed():
        return (await sessions.client.get("/sessions", params={"match_id": "mt_1"})).json()

    [session] = await wait_until(listed, what="introduction session")
    return session


async def test_a_match_gets_one_introduction_at_11_branch_time(sessions, clean_nats):
    async with Publisher(clean_nats) as publisher:
        made = MatchMade.new(match(), branch="kol-salt-lake")
        await publisher.event(made)
        await publisher.event(made, msg_id="redelivered")
    session = await introduction(sessions)
    # matched 09:30 UTC = 15:00 IST; 24 h later is 15:00 IST, so the next 11:00 IST (05:30 UTC)
    assert session["scheduled_for"] == "2026-11-27T05:30:00Z"
    assert session["kind"] == "introduction" and session["status"] == "scheduled"


async def test_completing_a_session(sessions, clean_nats):
    async with Publisher(clean_nats) as publisher:
        await publisher.event(MatchMade.new(match(), branch="kol-salt-lake"))
    session = await introduction(sessions)
    url = f"/sessions/{session['session_id']}/complete"

    bad = await sessions.client.post(url, json={"attended": True, "duration_minutes": -5})
    assert bad.status_code == 422 and "duration_minutes" in bad.text
    done = await sessions.client.post(
        url, json={"attended": True, "duration_minutes": 40, "note": "Talked about sleep."}
    )
    assert done.status_code == 200 and done.json()["status"] == "completed"
    again = await sessions.client.post(url, json={"attended": True, "duration_minutes": 40})
    assert again.status_code == 409 and "completed" in again.json()["detail"]
    missing = await sessions.client.post(
        "/sessions/ss_nope/complete", json={"attended": False, "duration_minutes": 0}
    )
    assert missing.status_code == 404


async def test_ended_match_cancels_the_scheduled_introduction(sessions, clean_nats):
    async with Publisher(clean_nats) as publisher:
        await publisher.event(MatchMade.new(match(), branch="kol-salt-lake"))
        await introduction(sessions)
        await publisher.event(MatchEnded.new(match(2, "ended"), branch="kol-salt-lake"))

    async def status():
        return (await introduction(sessions))["status"]

    assert await wait_until(status, lambda s: s == "cancelled", what="cancelled") == "cancelled"


async def test_a_match_that_arrives_after_its_patient_was_merged_is_keyed_by_the_survivor(
    sessions, clean_nats
):
    # The merge (intake's stream) can reach sessions before a match made earlier (matching's
    # stream): the introduction must still belong to the surviving patient.
    async with Publisher(clean_nats) as publisher:
        await publisher.event(events.merged("pt_1", "pt_survivor"))

        async def merge_applied() -> bool:
            runtime = sessions.runtime
            async with runtime.sessionmaker() as session:
                return await session.get(PatientMerge, "pt_1") is not None

        await wait_until(merge_applied, what="the merge applied")
        await publisher.event(MatchMade.new(match(), branch="kol-salt-lake"))
    session = await introduction(sessions)
    assert session["patient_ref"] == "pt_survivor"
