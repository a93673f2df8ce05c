"""Matching's hard rules from what patients, clinicians and mentors record, on real JetStream:
the gender a patient asks for, shared lived experience, high-risk patients, declared
conflicts of interest, and mentors who were patients of the same ward."""

from datetime import UTC, datetime, timedelta

import pytest

from helpers import events, factories
from helpers.auth import bearer
from helpers.backends import Databases
from helpers.events import Publisher
from helpers.matching import admit_with_consent, matches, matching_running
from helpers.waiting import wait_until

NON_CRISIS_CORE = ["active_listening", "boundaries", "ethics"]


@pytest.fixture
async def matching_service(clean_nats: str, dbs: Databases):
    async with matching_running(clean_nats, dbs, core_certifications=NON_CRISIS_CORE) as service:
        yield service


def preferences(**overrides: object) -> dict:
    return {"recorded_by": "coord-1", **overrides}


async def active_match(
    service, episode_id: str, mentor_id: str, what: str, status: str = "active"
) -> dict:
    async def found() -> list[dict]:
        rows = await matches(service, episode_id=episode_id, status=status)
        return [r for r in rows if r["mentor_id"] == mentor_id]

    [match] = await wait_until(found, what=what)
    return match


async def ended_reason(service, episode_id: str, mentor_id: str) -> str:
    rows = await matches(service, episode_id=episode_id, mentor_id=mentor_id)
    return rows[0]["ended_reason"]


async def test_preferences_need_a_known_patient_who_has_not_withdrawn(matching_service, clean_nats):
    client = matching_service.client
    unknown = await client.put(
        "/patients/pt_nobody/preferences", json=preferences(mentor_gender="female")
    )
    assert unknown.status_code == 404
    assert (await client.get("/patients/pt_nobody/preferences")).status_code == 404
    stay = events.episode()
    async with Publisher(clean_nats) as publisher:
        await publisher.event(events.admitted(stay))
        await publisher.event(events.consent(stay, "withdrawn"))

        async def refused() -> int:
            response = await client.put(
                f"/patients/{stay.patient_ref}/preferences", json=preferences()
            )
            return response.status_code

        await wait_until(refused, lambda code: code == 409, what="refused after withdrawal")


async def test_a_patient_who_asks_for_a_woman_gets_one_even_mid_match(matching_service, clean_nats):
    client = matching_service.client
    await client.post("/mentors", json=factories.mentor(mentor_id="a-man", gender="male"))
    await client.post("/mentors", json=factories.mentor(mentor_id="b-woman", gender="female"))
    async with Publisher(clean_nats) as publisher:
        stay = await admit_with_consent(publisher)
    await active_match(matching_service, stay.episode_id, "a-man", "the first match")

    response = await client.put(
        f"/patients/{stay.patient_ref}/preferences", json=preferences(mentor_gender="female")
    )

    assert response.status_code == 200, response.text
    assert response.json()["mentor_gender"] == "female"
    await active_match(matching_service, stay.episode_id, "b-woman", "a woman mentor")
    assert await ended_reason(matching_service, stay.episode_id, "a-man") == (
        "the patient asked for a mentor of another gender"
    )


async def test_shared_lived_experience_decides_the_match_and_shows_in_why(
    matching_service, clean_nats
):
    client = matching_service.client
    await client.post(
        "/mentors", json=factories.mentor(mentor_id="a", lived_experience=["anxiety"])
    )
    await client.post(
        "/mentors", json=factories.mentor(mentor_id="b", lived_experience=["bipolar"])
    )
    stay = events.episode()
    async with Publisher(clean_nats) as publisher:
        await publisher.event(events.admitted(stay))  # no consent yet: no match yet

        async def recorded() -> bool:
            response = await client.put(
                f"/patients/{stay.patient_ref}/preferences",
                json=preferences(lived_experience=["bipolar"], interests=["music"]),
            )
            return response.status_code == 200

        # Recorded in the consent conversation, before consent reaches matching.
        await wait_until(recorded, what="preferences accepted once the admission arrived")
        assert await matches(matching_service, episode_id=stay.episode_id) == []
        await publisher.event(events.consent(stay))
    match = await active_match(matching_service, stay.episode_id, "b", "the bipolar mentor")
    assert match["explanation"]["chosen"]["lived_experience"] == 1.0
    assert match["explanation"]["runners_up"][0]["mentor_id"] == "a"
    assert match["explanation"]["runners_up"][0]["lived_experience"] == 0.0


async def test_a_high_risk_patient_moves_to_a_mentor_certified_in_crisis_response(
    matching_service, clean_nats
):
    client = matching_service.client
    plain = factories.certifications(kinds=tuple(NON_CRISIS_CORE))
    await client.post("/mentors", json=factories.mentor(mentor_id="a-plain", certifications=plain))
    crisis = factories.mentor(mentor_id="b-crisis", supervisor_id="sup-b")
    await client.post("/mentors", json=crisis)
    async with Publisher(clean_nats) as publisher:
        stay = await admit_with_consent(publisher)
    await active_match(matching_service, stay.episode_id, "a-plain", "the first match")

    response = await client.put(
        f"/episodes/{stay.episode_id}/risk",
        json={"level": "high"},
        headers=bearer("clinician", subject="dr-sen"),
    )

    assert response.status_code == 200, response.text
    # The new match waits for the supervisor's sign-off (see test_matching_review).
    await active_match(
        matching_service, stay.episode_id, "b-crisis", "crisis-certified mentor", "proposed"
    )
    assert "crisis response" in await ended_reason(matching_service, stay.episode_id, "a-plain")
    risk = (await client.get(f"/episodes/{stay.episode_id}/risk")).json()
    assert risk["level"] == "high" and risk["assessed_by"] == "dr-sen"


async def test_a_medium_risk_patient_is_matched_with_crisis_cover_when_there_is_some(
    matching_service, clean_nats
):
    client = matching_service.client
    plain = factories.certifications(kinds=tuple(NON_CRISIS_CORE))
    await client.post("/mentors", json=factories.mentor(mentor_id="a-plain", certifications=plain))
    await client.post("/mentors", json=factories.mentor(mentor_id="b-crisis"))
    clinician = bearer("clinician", subject="dr-sen")
    async with Publisher(clean_nats) as publisher:
        medium, low = events.episode(), events.episode()
        for stay in (medium, low):
            await publisher.event(events.admitted(stay))

        async def assessed(stay, level: str) -> bool:
            put = f"/episodes/{stay.episode_id}/risk"
            response = await client.put(put, json={"level": level}, headers=clinician)
            return response.status_code == 200

        await wait_until(lambda: assessed(medium, "medium"), what="medium risk recorded")
        await wait_until(lambda: assessed(low, "standard"), what="the former name of low")
        for stay in (medium, low):
            await publisher.event(events.consent(stay))
    match = await active_match(matching_service, medium.episode_id, "b-crisis", "crisis cover")
    await active_match(matching_service, low.episode_id, "a-plain", "no preference")
    assert match["explanation"]["chosen"]["crisis_cover"] == 1.0
    assert (await client.get(f"/episodes/{low.episode_id}/risk")).json()["level"] == "low"
    refused = await client.put(
        f"/episodes/{low.episode_id}/risk", json={"level": "severe"}, headers=clinician
    )
    assert refused.status_code == 422 and "level" in refused.text


async def test_risk_for_an_episode_matching_never_heard_of_is_404(matching_service):
    response = await matching_service.client.put(
        "/episodes/ep_unknown/risk",
        json={"level": "high"},
        headers=bearer("clinician", subject="dr-sen"),
    )
    assert response.status_code == 404


async def test_a_declared_conflict_ends_the_match_and_is_never_matched_again(
    matching_service, clean_nats
):
    client = matching_service.client
    await client.post("/mentors", json=factories.mentor(mentor_id="a"))
    await client.post("/mentors", json=factories.mentor(mentor_id="b"))
    async with Publisher(clean_nats) as publisher:
        stay = await admit_with_consent(publisher)
    await active_match(matching_service, stay.episode_id, "a", "the first match")

    response = await client.post("/mentors/a/conflicts", json={"patient_ref": stay.patient_ref})

    assert response.status_code == 201, response.text
    await active_match(matching_service, stay.episode_id, "b", "the other mentor")
    assert await ended_reason(matching_service, stay.episode_id, "a") == "conflict of interest"
    listed = (await client.get("/mentors/a/conflicts")).json()
    assert [c["patient_ref"] for c in listed] == [stay.patient_ref]
    [with_b] = await matches(matching_service, mentor_id="b")
    await client.post(f"/matches/{with_b['match_id']}/decline", json={"reason": "patient_declined"})
    # Declining b leaves only a, with whom the conflict stands: the patient waits instead.
    [entry] = (await client.get("/waitlist")).json()
    assert entry["episode_id"] == stay.episode_id


async def test_a_mentor_is_not_matched_on_the_ward_they_were_a_patient_of(
    matching_service, clean_nats
):
    client = matching_service.client
    alumnus = events.episode(ward="w1")
    nomination = events.nomination(alumnus.patient_ref)
    mentor_id = f"mn-{nomination.data.nomination_id}"
    await client.post("/mentors", json=factories.mentor(mentor_id="zz-other", capacity=1))
    async with Publisher(clean_nats) as publisher:
        await publisher.event(events.admitted(alumnus))
        await publisher.event(events.discharged(alumnus))
        await publisher.event(nomination)

        async def activated() -> bool:
            response = await client.patch(
                f"/mentors/{mentor_id}", json={"status": "active", "capacity": 3}
            )
            return response.status_code == 200

        await wait_until(activated, what="the nominated alumnus joins the pool")
        same_ward = await admit_with_consent(publisher, ward="w1")
        await active_match(matching_service, same_ward.episode_id, "zz-other", "the other mentor")
        other_ward = await admit_with_consent(publisher, ward="w2")
        await active_match(matching_service, other_ward.episode_id, mentor_id, "the alumnus")


async def test_a_long_ago_stay_on_the_ward_is_no_conflict(clean_nats, dbs):
    async with matching_running(clean_nats, dbs, same_ward_window_days=30) as service:
        alumnus = events.episode(ward="w1", admitted_at=datetime.now(UTC) - timedelta(days=90))
        discharged = events.discharged(alumnus)
        long_ago = discharged.data.model_copy(
            update={"discharged_at": datetime.now(UTC) - timedelta(days=60)}
        )
        nomination = events.nomination(alumnus.patient_ref)
        mentor_id = f"mn-{nomination.data.nomination_id}"
        async with Publisher(clean_nats) as publisher:
            await publisher.event(events.admitted(alumnus))
            await publisher.event(type(discharged).new(long_ago, branch=long_ago.branch))
            await publisher.event(nomination)

            async def activated() -> bool:
                response = await service.client.patch(
                    f"/mentors/{mentor_id}", json={"status": "active", "capacity": 3}
                )
                return response.status_code == 200

            await wait_until(activated, what="the nominated alumnus joins the pool")
            stay = await admit_with_consent(publisher, ward="w1")
        await active_match(service, stay.episode_id, mentor_id, "the alumnus")


async def test_preferences_and_conflicts_follow_a_patient_merge(matching_service, clean_nats):
    client = matching_service.client
    await client.post("/mentors", json=factories.mentor(mentor_id="a"))
    source, target = events.episode(), events.episode()
    async with Publisher(clean_nats) as publisher:
        await publisher.event(events.admitted(source))

        async def recorded() -> bool:
            response = await client.put(
                f"/patients/{source.patient_ref}/preferences",
                json=preferences(mentor_gender="female"),
            )
            return response.status_code == 200

        await wait_until(recorded, what="preferences recorded")
        await client.post("/mentors/a/conflicts", json={"patient_ref": source.patient_ref})
        await publisher.event(events.merged(source.patient_ref, target.patient_ref))

    async def moved() -> int:
        return (await client.get(f"/patients/{target.patient_ref}/preferences")).status_code == 200

    await wait_until(moved, what="preferences under the surviving patient_ref")
    assert (await client.get(f"/patients/{source.patient_ref}/preferences")).status_code == 404
    conflicts = (await client.get("/mentors/a/conflicts")).json()
    assert [c["patient_ref"] for c in conflicts] == [target.patient_ref]
