"""Matching on real JetStream when intake merges two patient records (HL7 A40): the stay keeps
its match and mentor with no end reason, the most recently recorded preferences survive, and
when both records hold a match, both stays keep theirs."""

import pytest

from helpers import events, factories
from helpers.backends import Databases
from helpers.events import Publisher
from helpers.matching import admit_with_consent, matches, matching_running
from helpers.streams import messages_on
from helpers.waiting import wait_until


@pytest.fixture
async def matching_service(clean_nats: str, dbs: Databases):
    async with matching_running(clean_nats, dbs) as service:
        yield service


def preferences(gender: str) -> dict:
    return {"mentor_gender": gender, "recorded_by": "coord-1"}


async def _merge(publisher: Publisher, stays: list, target_ref: str) -> None:
    """What intake announces on A40: each merged stay relabelled, then the merge."""
    [source_ref] = {stay.patient_ref for stay in stays}
    for stay in stays:
        await publisher.event(events.relabelled(stay, target_ref))
    await publisher.event(events.merged(source_ref, target_ref))


async def _rekeyed(service, episode_id: str, patient_ref: str) -> dict:
    rows = await wait_until(
        lambda: matches(service, episode_id=episode_id),
        lambda rows: rows and all(r["patient_ref"] == patient_ref for r in rows),
        what="the match re-keyed to the survivor",
    )
    assert len(rows) == 1, rows
    return rows[0]


async def test_a_merge_keeps_the_match_its_mentor_and_the_latest_preferences(
    matching_service, clean_nats
):
    client = matching_service.client
    await client.post("/mentors", json=factories.mentor(mentor_id="man", gender="male"))
    await client.post("/mentors", json=factories.mentor(mentor_id="woman", gender="female"))
    async with Publisher(clean_nats) as publisher:
        survivor = events.episode()  # known to matching, not asked about consent yet
        await publisher.event(events.admitted(survivor))
        target = survivor.patient_ref
        older = await wait_until(
            lambda: client.put(f"/patients/{target}/preferences", json=preferences("male")),
            lambda response: response.status_code == 200,
            what="the survivor's earlier preferences",
        )
        assert older.json()["mentor_gender"] == "male"
        duplicate = events.episode()
        await publisher.event(events.admitted(duplicate))
        await wait_until(
            lambda: client.put(
                f"/patients/{duplicate.patient_ref}/preferences", json=preferences("female")
            ),
            lambda response: response.status_code == 200,
            what="the duplicate's later preferences",
        )
        await publisher.event(events.consent(duplicate))
        [before] = await wait_until(
            lambda: matches(matching_service, episode_id=duplicate.episode_id, status="active"),
            lambda rows: rows and rows[0]["mentor_id"] == "woman",
            what="matched with a woman",
        )

        await _merge(publisher, [duplicate], target)
        after = await _rekeyed(matching_service, duplicate.episode_id, target)

    assert (after["match_id"], after["mentor_id"]) == (before["match_id"], "woman")
    assert after["status"] == "active" and after["ended_reason"] is None
    kept = (await client.get(f"/patients/{target}/preferences")).json()
    assert kept["mentor_gender"] == "female"
    assert (await client.get(f"/patients/{duplicate.patient_ref}/preferences")).status_code == 404
    events_out = await messages_on(clean_nats, "SAATHI_MATCHING", "matching.match.")
    assert [m.subject for m in events_out] == ["matching.match.made.v1"]


async def test_when_both_records_hold_a_match_each_stay_keeps_its_own(matching_service, clean_nats):
    client = matching_service.client
    await client.post("/mentors", json=factories.mentor(mentor_id="first", capacity=1))
    await client.post("/mentors", json=factories.mentor(mentor_id="second", capacity=1))
    async with Publisher(clean_nats) as publisher:
        kept = await admit_with_consent(publisher)
        merged = await admit_with_consent(publisher)
        held = {}
        for stay in (kept, merged):
            [match] = await wait_until(
                lambda stay=stay: matches(matching_service, episode_id=stay.episode_id),
                what="a match",
            )
            held[stay.episode_id] = match

        await _merge(publisher, [merged], kept.patient_ref)
        after = await _rekeyed(matching_service, merged.episode_id, kept.patient_ref)

    assert after["match_id"] == held[merged.episode_id]["match_id"]
    for stay in (kept, merged):
        [row] = await matches(matching_service, episode_id=stay.episode_id)
        assert row["status"] == "active" and row["ended_reason"] is None
        assert row["mentor_id"] == held[stay.episode_id]["mentor_id"]
        assert row["patient_ref"] == kept.patient_ref


async def test_a_mentor_who_was_the_merged_record_is_never_matched_to_the_survivor(
    matching_service, clean_nats
):
    client = matching_service.client
    merged_ref = events.episode().patient_ref  # the alumnus's record, merged away later
    nomination = events.nomination(merged_ref)
    mentor_id = f"mn-{nomination.data.nomination_id}"
    async with Publisher(clean_nats) as publisher:
        await publisher.event(nomination)
        await wait_until(
            lambda: client.get(f"/mentors/{mentor_id}"),
            lambda response: response.status_code == 200,
            what="the nominated alumnus in the pool",
        )
        promoted = await client.patch(
            f"/mentors/{mentor_id}", json={"status": "active", "capacity": 2}
        )
        assert promoted.status_code == 200, promoted.text
        survivor = events.episode()
        await publisher.event(events.merged(merged_ref, survivor.patient_ref))
        await publisher.event(events.admitted(survivor))
        await publisher.event(events.consent(survivor))
        # The only mentor is this person: they wait instead of mentoring themselves.
        waiting = await wait_until(
            lambda: client.get("/waitlist"),
            lambda response: survivor.episode_id in {w["episode_id"] for w in response.json()},
            what="the survivor waitlisted",
        )
    assert waiting.status_code == 200
    assert await matches(matching_service, episode_id=survivor.episode_id) == []
