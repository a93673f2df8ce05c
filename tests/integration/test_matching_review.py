"""Proposed matches on real JetStream: a coordinator's review in branches that ask for it, the
supervisor's sign-off for high-risk patients, and the review deadline that escalates — held
in the database, so a restart neither loses nor repeats an escalation."""

import pytest

from helpers import events, factories
from helpers.auth import bearer
from helpers.backends import Databases
from helpers.events import Publisher
from helpers.matching import admit_with_consent, matches, matching_running
from helpers.streams import stream_messages
from helpers.waiting import wait_until

REVIEWING = "kol-salt-lake"
NON_CRISIS_CORE = ["active_listening", "boundaries", "ethics"]


@pytest.fixture
async def reviewing_service(clean_nats: str, dbs: Databases):
    async with matching_running(clean_nats, dbs, review_branches=[REVIEWING]) as service:
        yield service


async def subjects(nats_url: str) -> list[str]:
    return [m.subject for m in await stream_messages(nats_url, "SAATHI_MATCHING")]


async def proposal(service, episode_id: str) -> dict:
    [row] = await wait_until(
        lambda: matches(service, episode_id=episode_id, status="proposed"), what="a proposal"
    )
    return row


COORDINATOR = bearer("coordinator", subject="coord-1")


async def test_a_reviewing_branch_proposes_and_the_coordinator_makes_the_match(
    reviewing_service, clean_nats
):
    client = reviewing_service.client
    await client.post("/mentors", json=factories.mentor(mentor_id="a", capacity=1))
    async with Publisher(clean_nats) as publisher:
        stay = await admit_with_consent(publisher)
    proposed = await proposal(reviewing_service, stay.episode_id)
    assert proposed["awaiting"] == ["coordinator"]
    assert (await client.get("/mentors/a")).json()["active_mentees"] == 1  # the place is held
    await wait_until(lambda: _has(clean_nats, "matching.match.proposed.v1"), what="match.proposed")
    assert "matching.match.made.v1" not in await subjects(clean_nats)

    response = await client.post(f"/matches/{proposed['match_id']}/approve", headers=COORDINATOR)

    assert response.status_code == 200, response.text
    made = response.json()
    assert made["status"] == "active" and made["awaiting"] == []
    assert made["reviews"][0]["by"] == "coord-1" and made["reviews"][0]["decision"] == "approved"
    await wait_until(lambda: _has(clean_nats, "matching.match.made.v1"), what="match.made")
    again = await client.post(f"/matches/{proposed['match_id']}/approve", headers=COORDINATOR)
    assert again.status_code == 409


async def _has(nats_url: str, subject: str) -> bool:
    return subject in await subjects(nats_url)


async def test_a_rejected_proposal_frees_the_place_and_proposes_the_next_mentor(
    reviewing_service, clean_nats
):
    client = reviewing_service.client
    await client.post("/mentors", json=factories.mentor(mentor_id="a"))
    await client.post("/mentors", json=factories.mentor(mentor_id="b"))
    async with Publisher(clean_nats) as publisher:
        stay = await admit_with_consent(publisher)
    first = await proposal(reviewing_service, stay.episode_id)
    assert first["mentor_id"] == "a"

    response = await client.post(
        f"/matches/{first['match_id']}/reject",
        json={"reason": "knows the family"},
        headers=COORDINATOR,
    )

    assert response.status_code == 200, response.text
    assert response.json()["ended_reason"] == "rejected by the coordinator: knows the family"
    second = await proposal(reviewing_service, stay.episode_id)
    assert second["mentor_id"] == "b"
    assert (await client.get("/mentors/a")).json()["active_mentees"] == 0


async def test_a_branch_not_reviewing_matches_at_once(reviewing_service, clean_nats):
    await reviewing_service.client.post(
        "/mentors", json=factories.mentor(mentor_id="a", branches=["kol-behala"])
    )
    async with Publisher(clean_nats) as publisher:
        stay = await admit_with_consent(publisher, branch="kol-behala")
    [match] = await wait_until(
        lambda: matches(reviewing_service, episode_id=stay.episode_id), what="a match"
    )
    assert match["status"] == "active"


async def test_a_discharge_withdraws_the_proposal(reviewing_service, clean_nats):
    client = reviewing_service.client
    await client.post("/mentors", json=factories.mentor(mentor_id="a"))
    async with Publisher(clean_nats) as publisher:
        stay = await admit_with_consent(publisher)
        await proposal(reviewing_service, stay.episode_id)
        await publisher.event(events.discharged(stay))
    [withdrawn] = await wait_until(
        lambda: matches(reviewing_service, episode_id=stay.episode_id, status="withdrawn"),
        what="the proposal withdrawn",
    )
    assert withdrawn["ended_reason"] == "discharged"
    assert (await client.get("/mentors/a")).json()["active_mentees"] == 0
    await wait_until(
        lambda: _has(clean_nats, "matching.match.proposal_withdrawn.v1"), what="the event"
    )


async def test_a_high_risk_match_waits_for_the_mentors_own_supervisor(clean_nats, dbs):
    async with matching_running(clean_nats, dbs, core_certifications=NON_CRISIS_CORE) as service:
        client = service.client
        unsupervised = factories.mentor(mentor_id="a-unsupervised")
        await client.post("/mentors", json=unsupervised)
        await client.post("/mentors", json=factories.mentor(mentor_id="b", supervisor_id="sup-b"))
        stay = events.episode()
        async with Publisher(clean_nats) as publisher:
            await publisher.event(events.admitted(stay))

            async def assessed() -> bool:
                response = await client.put(
                    f"/episodes/{stay.episode_id}/risk",
                    json={"level": "high"},
                    headers=bearer("clinician", subject="dr-sen"),
                )
                return response.status_code == 200

            await wait_until(assessed, what="risk recorded once intake's episode arrived")
            await publisher.event(events.consent(stay))
        proposed = await proposal(service, stay.episode_id)
        assert proposed["mentor_id"] == "b"  # the unsupervised mentor cannot be signed off
        assert proposed["awaiting"] == ["supervisor"]
        assert proposed["supervisor_id"] == "sup-b"
        url = f"/matches/{proposed['match_id']}/approve"

        someone_else = await client.post(url, headers=bearer("supervisor", subject="sup-x"))
        not_awaited = await client.post(url, headers=COORDINATOR)
        signed = await client.post(url, headers=bearer("supervisor", subject="sup-b"))

    assert someone_else.status_code == 404  # another supervisor does not reach this match
    assert not_awaited.status_code == 409
    assert signed.status_code == 200 and signed.json()["status"] == "active"


async def test_an_unreviewed_proposal_escalates_once_even_across_a_restart(clean_nats, dbs):
    quiet = {
        "review_branches": [REVIEWING],
        "review_deadline_s": 0.3,
        "database_url": await dbs.url("matching"),
    }
    async with matching_running(clean_nats, dbs, review_check_interval_s=3600, **quiet) as first:
        await first.client.post("/mentors", json=factories.mentor(mentor_id="a"))
        async with Publisher(clean_nats) as publisher:
            stay = await admit_with_consent(publisher)
        await proposal(first, stay.episode_id)
    # Stopped before the deadline was checked; the next start finds the proposal overdue.
    async with matching_running(clean_nats, dbs, review_check_interval_s=0.05, **quiet) as again:
        [escalated] = await wait_until(
            lambda: matches(again, escalated="true"), what="the escalated proposal"
        )
        assert escalated["episode_id"] == stay.episode_id
        assert escalated["status"] == "proposed" and escalated["escalated_at"] is not None
        await wait_until(
            lambda: _has(clean_nats, "matching.match.proposal_escalated.v1"), what="the event"
        )
        [job] = [x for x in again.runtime.listeners if x.name == "review-deadlines"]
        assert await job.check() == 0
    escalations = [
        s for s in await subjects(clean_nats) if s == "matching.match.proposal_escalated.v1"
    ]
    assert len(escalations) == 1
