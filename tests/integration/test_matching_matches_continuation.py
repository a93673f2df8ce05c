"""Where the network says so, a match goes on past discharge into aftercare, on real JetStream:
until the continuation ends, a readmission, a cancelled discharge, or a disposition that ends
it. Leaving the waitlist is announced too."""

import json
from datetime import datetime, timedelta

import pytest

from helpers import events, factories
from helpers.backends import Databases
from helpers.events import Publisher
from helpers.matching import admit_with_consent, matches, matching_running
from helpers.streams import stream_messages
from helpers.waiting import wait_until
from matching.app import policy_from
from matching.matches.continuation import end_finished_continuations


@pytest.fixture
async def continuing(clean_nats: str, dbs: Databases):
    async with matching_running(
        clean_nats, dbs, continue_into_aftercare=True, aftercare_continuation_days=90
    ) as service:
        yield service


async def stored(nats_url: str, subject: str) -> list:
    return [m for m in await stream_messages(nats_url, "SAATHI_MATCHING") if m.subject == subject]


async def continues_until(service, episode_id: str) -> str | None:
    [match] = await matches(service, episode_id=episode_id)
    return match.get("continues_until")


async def test_a_discharged_patient_keeps_their_mentor_into_aftercare(continuing, clean_nats):
    client = continuing.client
    await client.post("/mentors", json=factories.mentor(mentor_id="a", capacity=1))
    async with Publisher(clean_nats) as publisher:
        stay = await admit_with_consent(publisher)
        await wait_until(lambda: matches(continuing, episode_id=stay.episode_id), what="match")
        discharge = events.discharged(stay)
        await publisher.event(discharge)
    until = await wait_until(
        lambda: continues_until(continuing, stay.episode_id), what="the continuation"
    )
    expected = discharge.data.discharged_at + timedelta(days=90)
    assert abs(datetime.fromisoformat(until) - expected) < timedelta(seconds=1)
    [match] = await matches(continuing, episode_id=stay.episode_id)
    assert match["status"] == "active"
    assert (await client.get("/mentors/a")).json()["active_mentees"] == 1
    [changed] = await wait_until(
        lambda: stored(clean_nats, "matching.match.continuation_changed.v1"), what="the event"
    )
    assert json.loads(changed.data)["data"]["continues_until"] is not None


async def test_a_disposition_that_ends_support_ends_the_match(continuing, clean_nats):
    await continuing.client.post("/mentors", json=factories.mentor(mentor_id="a"))
    async with Publisher(clean_nats) as publisher:
        stay = await admit_with_consent(publisher)
        await wait_until(lambda: matches(continuing, episode_id=stay.episode_id), what="match")
        await publisher.event(events.discharged(stay, disposition="20"))  # expired
    [ended] = await wait_until(
        lambda: matches(continuing, episode_id=stay.episode_id, status="ended"), what="ended"
    )
    assert ended["ended_reason"] == "discharged" and ended["continues_until"] is None


async def test_a_cancelled_discharge_brings_the_match_back_inpatient(continuing, clean_nats):
    await continuing.client.post("/mentors", json=factories.mentor(mentor_id="a"))
    async with Publisher(clean_nats) as publisher:
        stay = await admit_with_consent(publisher)
        await wait_until(lambda: matches(continuing, episode_id=stay.episode_id), what="match")
        discharge = events.discharged(stay)
        await publisher.event(discharge)
        await wait_until(lambda: continues_until(continuing, stay.episode_id), what="continues")
        await publisher.event(events.discharge_cancelled(discharge))

    async def back_inpatient() -> bool:
        return await continues_until(continuing, stay.episode_id) is None

    await wait_until(back_inpatient, what="the continuation lifted")
    [match] = await matches(continuing, episode_id=stay.episode_id)
    assert match["status"] == "active"


async def test_a_readmission_ends_the_continuation_and_the_same_mentor_returns(
    continuing, clean_nats
):
    client = continuing.client
    await client.post("/mentors", json=factories.mentor(mentor_id="a", capacity=1))
    await client.post("/mentors", json=factories.mentor(mentor_id="b", capacity=5))
    async with Publisher(clean_nats) as publisher:
        stay = await admit_with_consent(publisher)
        [first] = await wait_until(
            lambda: matches(continuing, episode_id=stay.episode_id), what="match"
        )
        assert first["mentor_id"] == "a"
        await publisher.event(events.discharged(stay))
        await wait_until(lambda: continues_until(continuing, stay.episode_id), what="continues")
        again = events.episode(patient_ref=stay.patient_ref)
        await publisher.event(events.admitted(again))
        await publisher.event(events.consent(again))
    [rematch] = await wait_until(
        lambda: matches(continuing, episode_id=again.episode_id), what="the readmission's match"
    )
    assert rematch["mentor_id"] == "a"  # a's one place was freed by ending the continuation
    [old] = await matches(continuing, episode_id=stay.episode_id)
    assert old["status"] == "ended" and old["ended_reason"] == "readmitted"


async def test_the_continuation_ends_on_time_and_the_place_goes_to_the_waitlist(
    continuing, clean_nats
):
    client = continuing.client
    await client.post("/mentors", json=factories.mentor(mentor_id="a", capacity=1))
    async with Publisher(clean_nats) as publisher:
        stay = await admit_with_consent(publisher)
        await wait_until(lambda: matches(continuing, episode_id=stay.episode_id), what="match")
        await publisher.event(events.discharged(stay))
        await wait_until(lambda: continues_until(continuing, stay.episode_id), what="continues")
        waiting = await admit_with_consent(publisher)

        async def waitlisted() -> list:
            return (await client.get("/waitlist")).json()

        await wait_until(waitlisted, what="the next patient waits for a's place")
    policy = policy_from(continuing.runtime.settings)
    async with continuing.runtime.unit_of_work() as session:
        later = datetime.now().astimezone() + timedelta(days=91)
        assert await end_finished_continuations(session, policy, later) == 1
    [ended] = await matches(continuing, episode_id=stay.episode_id)
    assert ended["ended_reason"] == "aftercare continuation over"
    [match] = await matches(continuing, episode_id=waiting.episode_id)
    assert match["mentor_id"] == "a"
    [left] = await wait_until(
        lambda: stored(clean_nats, "matching.waitlist.left.v1"), what="waitlist.left"
    )
    assert json.loads(left.data)["data"]["status"] == "matched"
