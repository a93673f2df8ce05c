"""Matching on real JetStream: consent belongs to a stay. A readmission is not matched on the
last stay's consent; a decline is an answer that ends a match at once; v1 (per patient) events
still in a stream never start a stay's consent, but their withdrawals are honoured."""

import pytest

from helpers import events, factories
from helpers.backends import Databases
from helpers.events import Publisher
from helpers.matching import admit_with_consent, matches, matching_running
from helpers.waiting import wait_until


@pytest.fixture
async def matching_service(clean_nats: str, dbs: Databases):
    async with matching_running(clean_nats, dbs) as service:
        yield service


async def _matched(service, episode_id: str, status: str = "active") -> dict:
    [match] = await wait_until(
        lambda: matches(service, episode_id=episode_id, status=status), what=f"{status} match"
    )
    return match


async def test_a_readmission_waits_for_this_stays_consent(matching_service, clean_nats):
    await matching_service.client.post("/mentors", json=factories.mentor(mentor_id="m1"))
    async with Publisher(clean_nats) as publisher:
        first = await admit_with_consent(publisher)
        await _matched(matching_service, first.episode_id)
        await publisher.event(events.discharged(first))
        again = events.episode(patient_ref=first.patient_ref)
        await publisher.event(events.admitted(again))
        marker = await admit_with_consent(publisher)  # processed after the readmission
        await _matched(matching_service, marker.episode_id)
        assert await matches(matching_service, episode_id=again.episode_id) == []

        await publisher.event(events.consent(again))
        match = await _matched(matching_service, again.episode_id)
    assert match["mentor_id"] == "m1"


async def test_declined_at_this_stay_means_no_match_and_ends_one_at_once(
    matching_service, clean_nats
):
    await matching_service.client.post(
        "/mentors", json=factories.mentor(mentor_id="m1", capacity=5)
    )
    async with Publisher(clean_nats) as publisher:
        declined = events.episode()
        await publisher.event(events.admitted(declined))
        await publisher.event(events.consent(declined, "declined"))
        carried = events.episode()
        await publisher.event(events.admitted(carried))
        await publisher.event(events.consent(carried, carried_over_from="ep_before"))
        await _matched(matching_service, carried.episode_id)
        assert await matches(matching_service, episode_id=declined.episode_id) == []

        await publisher.event(events.consent(carried, "declined", version=2))
        ended = await _matched(matching_service, carried.episode_id, status="ended")
    assert ended["ended_reason"] == "consent declined"


async def test_a_v1_event_never_starts_a_stays_consent_but_its_withdrawal_ends_matches(
    matching_service, clean_nats
):
    await matching_service.client.post(
        "/mentors", json=factories.mentor(mentor_id="m1", capacity=5)
    )
    async with Publisher(clean_nats) as publisher:
        unasked = events.episode()
        await publisher.event(events.admitted(unasked))
        await publisher.event(events.patient_consent(unasked.patient_ref, "given", version=7))
        consented = await admit_with_consent(publisher)
        await _matched(matching_service, consented.episode_id)
        assert await matches(matching_service, episode_id=unasked.episode_id) == []

        await publisher.event(events.patient_consent(consented.patient_ref, "withdrawn", 2))
        ended = await _matched(matching_service, consented.episode_id, status="ended")
    assert ended["ended_reason"] == "consent withdrawn"
