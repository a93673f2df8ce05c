"""A mentor linked to their own patient record, on real JetStream: never matched to themselves,
no mentees while admitted, a link that comes before the mentor, unlinking, and merges."""

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


async def holder(service, episode_id: str) -> str | None:
    """The mentor holding the episode's match (None while it waits)."""
    held = [m for m in await matches(service, episode_id=episode_id) if m["status"] == "active"]
    return held[0]["mentor_id"] if held else None


async def test_a_linked_mentor_leaves_their_own_match_and_their_mentees_while_admitted(
    matching_service, clean_nats
):
    client = matching_service.client
    await client.post("/mentors", json=factories.mentor(mentor_id="mn-asha", capacity=4))
    async with Publisher(clean_nats) as publisher:
        mentees = [await admit_with_consent(publisher) for _ in range(2)]
        own_stay = await admit_with_consent(publisher)  # the mentor's own admission
        for stay in (*mentees, own_stay):
            await wait_until(lambda s=stay: holder(matching_service, s.episode_id), what="match")
        assert await holder(matching_service, own_stay.episode_id) == "mn-asha"  # the defect
        await client.post("/mentors", json=factories.mentor(mentor_id="mn-backup", capacity=4))

        await publisher.event(events.mentor_link("mn-asha", own_stay.patient_ref))

        for stay in (*mentees, own_stay):
            await wait_until(
                lambda s=stay: holder(matching_service, s.episode_id),
                lambda mentor: mentor == "mn-backup",
                what="matched again with the other mentor",
            )
    ended = {
        m["episode_id"]: m["ended_reason"]
        for m in await matches(matching_service, mentor_id="mn-asha")
    }
    assert ended[own_stay.episode_id] == "the mentor is the patient themselves"
    assert {ended[s.episode_id] for s in mentees} == {"the mentor is admitted"}
    mentor = (await client.get("/mentors/mn-asha")).json()
    assert (mentor["active_mentees"], mentor["patient_linked"]) == (0, True)


async def test_a_link_before_the_mentor_joins_holds_until_it_is_removed(
    matching_service, clean_nats
):
    client = matching_service.client
    async with Publisher(clean_nats) as publisher:
        own_stay = await admit_with_consent(publisher)
        await publisher.event(events.mentor_link("mn-later", own_stay.patient_ref))
        other = await admit_with_consent(publisher)
        await wait_until(
            lambda: client.get("/waitlist"), lambda r: len(r.json()) == 2, what="both waiting"
        )

        joined = await client.post("/mentors", json=factories.mentor(mentor_id="mn-later"))

        # The mentor is admitted: neither patient gets them, their own stay least of all.
        assert joined.json()["patient_linked"] is True
        assert len((await client.get("/waitlist")).json()) == 2
        await publisher.event(
            events.mentor_link("mn-later", own_stay.patient_ref, version=2, status="unlinked")
        )
        await wait_until(
            lambda: holder(matching_service, other.episode_id),
            lambda mentor: mentor == "mn-later",
            what="the unlinked mentor takes mentees again",
        )
        # A late copy of the first link (an older version) changes nothing.
        await publisher.event(events.mentor_link("mn-later", own_stay.patient_ref), "late-copy")
        marker = await admit_with_consent(publisher)
        await wait_until(lambda: holder(matching_service, marker.episode_id), what="marker")
    assert await holder(matching_service, other.episode_id) == "mn-later"
    assert (await client.get("/mentors/mn-later")).json()["patient_linked"] is False


async def test_the_link_follows_a_merge_of_the_mentors_records(matching_service, clean_nats):
    client = matching_service.client
    await client.post("/mentors", json=factories.mentor(mentor_id="mn-asha"))
    await client.post("/mentors", json=factories.mentor(mentor_id="mn-backup"))
    old_record, new_record = events.episode(status="discharged", version=2), events.episode()
    async with Publisher(clean_nats) as publisher:
        await publisher.event(events.mentor_link("mn-asha", old_record.patient_ref))
        await publisher.event(events.merged(old_record.patient_ref, new_record.patient_ref))
        stay = await admit_with_consent(publisher, patient_ref=new_record.patient_ref)
        mentee = await admit_with_consent(publisher)
        await wait_until(lambda: holder(matching_service, mentee.episode_id), what="match")
    assert await holder(matching_service, stay.episode_id) == "mn-backup"
    assert await holder(matching_service, mentee.episode_id) == "mn-backup"
