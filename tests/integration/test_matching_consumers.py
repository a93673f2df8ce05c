"""Matching's consumer on real JetStream: matches, waitlist, and the delivery guarantees."""

from datetime import date, timedelta

import pytest
from sqlalchemy.exc import OperationalError

from helpers import events, factories
from helpers.backends import Databases
from helpers.events import Publisher
from helpers.matching import admit_with_consent, matches, matching_running
from helpers.streams import messages_on, stream_messages
from helpers.waiting import wait_until
from matching.app import policy_from
from matching.matches import reconcile as reconciling
from matching.pool.models import Mentor
from matching.waitlist.handlers import fill_waitlist


@pytest.fixture
async def matching_service(clean_nats: str, dbs: Databases):
    async with matching_running(clean_nats, dbs) as service:
        yield service


async def test_consenting_patient_is_matched_to_an_eligible_mentor(matching_service, clean_nats):
    client = matching_service.client
    await client.post("/mentors", json=factories.mentor(mentor_id="wrong-lang", languages=["hi"]))
    await client.post(
        "/mentors", json=factories.mentor(mentor_id="wrong-branch", branches=["kol-behala"])
    )
    await client.post("/mentors", json=factories.mentor(mentor_id="trainee", status="trainee"))
    await client.post("/mentors", json=factories.mentor(mentor_id="fits", capacity=1))
    async with Publisher(clean_nats) as publisher:
        state = await admit_with_consent(publisher)
    [match] = await wait_until(
        lambda: matches(matching_service, episode_id=state.episode_id), what="a match"
    )
    assert match["mentor_id"] == "fits" and match["status"] == "active"
    mentor = (await client.get("/mentors/fits")).json()
    assert mentor["active_mentees"] == 1
    made = await wait_until(
        lambda: messages_on(clean_nats, "SAATHI_MATCHING", "matching.match."), what="match.made"
    )
    assert made[0].subject == "matching.match.made.v1"


async def test_no_consent_no_match(matching_service, clean_nats):
    await matching_service.client.post("/mentors", json=factories.mentor(mentor_id="m1"))
    async with Publisher(clean_nats) as publisher:
        first = events.episode()
        await publisher.event(events.admitted(first))
        marker = await admit_with_consent(publisher)  # processed after the first one
    await wait_until(
        lambda: matches(matching_service, episode_id=marker.episode_id), what="marker match"
    )
    assert await matches(matching_service, episode_id=first.episode_id) == []


async def test_waitlisted_patient_gets_the_place_freed_by_a_discharge(matching_service, clean_nats):
    await matching_service.client.post(
        "/mentors", json=factories.mentor(mentor_id="solo", capacity=1)
    )
    async with Publisher(clean_nats) as publisher:
        first = await admit_with_consent(publisher)
        await wait_until(
            lambda: matches(matching_service, episode_id=first.episode_id), what="first match"
        )
        second = await admit_with_consent(publisher)
        waiting = await wait_until(
            lambda: matching_service.client.get("/waitlist"),
            lambda r: len(r.json()) == 1,
            what="waitlist entry",
        )
        assert waiting.json()[0]["episode_id"] == second.episode_id
        await publisher.event(events.discharged(first))
    [match] = await wait_until(
        lambda: matches(matching_service, episode_id=second.episode_id),
        what="second patient matched",
    )
    assert match["mentor_id"] == "solo"
    [ended] = await matches(matching_service, episode_id=first.episode_id)
    assert ended["status"] == "ended" and ended["ended_reason"] == "discharged"
    assert (await matching_service.client.get("/mentors/solo")).json()["active_mentees"] == 1


async def test_the_same_event_delivered_twice_has_one_effect(matching_service, clean_nats):
    await matching_service.client.post(
        "/mentors", json=factories.mentor(mentor_id="m1", capacity=5)
    )
    async with Publisher(clean_nats) as publisher:
        state = events.episode()
        admission = events.admitted(state)
        await publisher.event(admission, msg_id="first-delivery")
        await publisher.event(admission, msg_id="second-delivery")  # past the duplicate window
        await publisher.event(events.consent(state))
        marker = await admit_with_consent(publisher)
    await wait_until(lambda: matches(matching_service, episode_id=marker.episode_id), what="marker")
    assert len(await matches(matching_service, episode_id=state.episode_id)) == 1
    assert (await matching_service.client.get("/mentors/m1")).json()["active_mentees"] == 2


async def test_an_older_version_never_undoes_a_newer_one(matching_service, clean_nats):
    await matching_service.client.post("/mentors", json=factories.mentor(mentor_id="m1"))
    async with Publisher(clean_nats) as publisher:
        state = events.episode()
        await publisher.event(events.consent(state))
        await publisher.event(events.discharged(state))  # version 2 arrives first
        await publisher.event(events.admitted(state))  # version 1, late
        marker = await admit_with_consent(publisher)
    await wait_until(lambda: matches(matching_service, episode_id=marker.episode_id), what="marker")
    assert await matches(matching_service, episode_id=state.episode_id) == []


async def test_malformed_and_unknown_version_go_to_dead_letters_and_the_flow_goes_on(
    matching_service, clean_nats
):
    await matching_service.client.post("/mentors", json=factories.mentor(mentor_id="m1"))
    async with Publisher(clean_nats) as publisher:
        await publisher.raw(
            "intake.episode.admitted.v1", b'{"not": "an event", "name": "Rahul"}', "bad-1"
        )
        await publisher.raw("intake.episode.admitted.v9", b"{}", "bad-2")
        marker = await admit_with_consent(publisher)
    await wait_until(
        lambda: matches(matching_service, episode_id=marker.episode_id), what="flow goes on"
    )
    letters = await wait_until(
        lambda: stream_messages(clean_nats, "SAATHI_DEADLETTER"),
        lambda m: len(m) == 2,
        what="two dead letters",
    )
    reasons = {m.headers["Saathi-DL-Subject"]: m.headers["Saathi-DL-Reason"] for m in letters}
    assert "invalid intake.episode.admitted.v1" in reasons["intake.episode.admitted.v1"]
    assert "Rahul" not in reasons["intake.episode.admitted.v1"]
    assert "unknown event type or version" in reasons["intake.episode.admitted.v9"]
    assert all(m.headers["Saathi-DL-Consumer"] == "matching-intake-events" for m in letters)


async def test_transient_failures_are_retried_until_they_succeed(
    matching_service, clean_nats, monkeypatch
):
    await matching_service.client.post("/mentors", json=factories.mentor(mentor_id="m1"))
    real = reconciling.reconcile
    failures = {"left": 4}

    async def flaky(*args, **kwargs):
        if failures["left"] > 0:
            failures["left"] -= 1
            raise OperationalError("SELECT 1", {}, Exception("database is locked"))
        return await real(*args, **kwargs)

    monkeypatch.setattr(reconciling, "reconcile", flaky)
    async with Publisher(clean_nats) as publisher:
        state = await admit_with_consent(publisher)
    await wait_until(
        lambda: matches(matching_service, episode_id=state.episode_id), what="match after retries"
    )
    assert failures["left"] == 0
    assert await stream_messages(clean_nats, "SAATHI_DEADLETTER") == []


async def test_an_event_that_always_fails_is_dead_lettered_after_max_attempts(
    matching_service, clean_nats, monkeypatch
):
    await matching_service.client.post(
        "/mentors", json=factories.mentor(mentor_id="m1", capacity=5)
    )
    real = reconciling.reconcile
    poison = events.episode()

    async def fails_for_poison(session, episode_id, *args, **kwargs):
        if episode_id == poison.episode_id:
            raise KeyError("bug")
        return await real(session, episode_id, *args, **kwargs)

    monkeypatch.setattr(reconciling, "reconcile", fails_for_poison)
    async with Publisher(clean_nats) as publisher:
        await publisher.event(events.admitted(poison))  # nothing to reconcile before consent
        await publisher.event(events.consent(poison))
        marker = await admit_with_consent(publisher)
    await wait_until(
        lambda: matches(matching_service, episode_id=marker.episode_id), what="others flow"
    )
    [letter] = await wait_until(
        lambda: stream_messages(clean_nats, "SAATHI_DEADLETTER"), what="poison dead-lettered"
    )
    assert letter.headers["Saathi-DL-Reason"] == "KeyError in handler after 3 deliveries"
    assert letter.headers["Saathi-DL-Deliveries"] == "3"


async def test_a_nominated_alumnus_joins_as_trainee_and_steps_back_when_readmitted(
    matching_service, clean_nats
):
    client = matching_service.client
    alumnus = events.episode(status="discharged", version=2)
    nomination = events.nomination(alumnus.patient_ref)
    async with Publisher(clean_nats) as publisher:
        await publisher.event(nomination)
        await publisher.event(nomination)  # a redelivery changes nothing
        mentor_id = f"mn-{nomination.data.nomination_id}"
        joined = await wait_until(
            lambda: client.get(f"/mentors/{mentor_id}"),
            lambda response: response.status_code == 200,
            what="the nominated alumnus in the pool",
        )
        assert (joined.json()["status"], joined.json()["capacity"]) == ("trainee", 0)
        assert [c["kind"] for c in joined.json()["certifications"]] == sorted(
            factories.CORE_CERTIFICATIONS
        )

        promoted = await client.patch(
            f"/mentors/{mentor_id}", json={"status": "active", "capacity": 2}
        )
        assert promoted.status_code == 200, promoted.text
        mentee = await admit_with_consent(publisher)
        [match] = await wait_until(
            lambda: matches(matching_service, episode_id=mentee.episode_id), what="a match"
        )
        assert match["mentor_id"] == mentor_id
        await client.post("/mentors", json=factories.mentor(mentor_id="backup", capacity=1))

        # the alumnus is admitted again: never a mentor while admitted; the mentee moves on
        readmitted = events.episode(patient_ref=alumnus.patient_ref)
        await publisher.event(events.admitted(readmitted))
        await publisher.event(events.consent(readmitted))
        rows = await wait_until(
            lambda: matches(matching_service, episode_id=mentee.episode_id),
            lambda rows: any(r["status"] == "active" and r["mentor_id"] == "backup" for r in rows),
            what="the mentee matched again",
        )
    ended = [r for r in rows if r["mentor_id"] == mentor_id]
    assert ended[0]["status"] == "ended" and ended[0]["ended_reason"] == "the mentor is admitted"
    own = await matches(matching_service, episode_id=readmitted.episode_id)
    assert all(r["mentor_id"] != mentor_id for r in own)


async def test_a_readmitted_patient_gets_their_earlier_mentor_and_the_match_says_why(
    matching_service, clean_nats
):
    client = matching_service.client
    await client.post("/mentors", json=factories.mentor(mentor_id="first", capacity=2))
    async with Publisher(clean_nats) as publisher:
        stay = await admit_with_consent(publisher)
        [first] = await wait_until(
            lambda: matches(matching_service, episode_id=stay.episode_id), what="first match"
        )
        assert first["explanation"]["chosen"]["mentor_id"] == "first"
        await publisher.event(events.discharged(stay))
        await client.post("/mentors", json=factories.mentor(mentor_id="roomier", capacity=9))

        again = events.episode(patient_ref=stay.patient_ref)
        await publisher.event(events.admitted(again))
        await publisher.event(events.consent(again))
        [match] = await wait_until(
            lambda: matches(matching_service, episode_id=again.episode_id), what="rematch"
        )
    assert match["mentor_id"] == "first"
    why = match["explanation"]
    assert why["chosen"]["continuity"] == 1.0
    assert why["runners_up"][0]["mentor_id"] == "roomier"
    assert why["runners_up"][0]["load_balance"] == 1.0
    assert why["weights"] == {
        "continuity": 3.0,
        "in_person": 2.0,
        "load_balance": 1.0,
        "lived_experience": 2.0,
        "interests": 0.5,
        "age_band": 0.5,
        "crisis_cover": 2.0,
    }


async def test_a_patient_who_declines_is_never_offered_that_mentor_again(
    matching_service, clean_nats
):
    client = matching_service.client
    await client.post("/mentors", json=factories.mentor(mentor_id="a", capacity=5))
    await client.post("/mentors", json=factories.mentor(mentor_id="b", capacity=1))
    async with Publisher(clean_nats) as publisher:
        stay = await admit_with_consent(publisher)
        [first] = await wait_until(
            lambda: matches(matching_service, episode_id=stay.episode_id), what="a match"
        )
    assert first["mentor_id"] == "a"

    declined = await client.post(
        f"/matches/{first['match_id']}/decline", json={"reason": "patient_asked_for_change"}
    )
    assert declined.status_code == 200 and declined.json()["status"] == "ended"
    rows = await matches(matching_service, episode_id=stay.episode_id, status="active")
    assert [r["mentor_id"] for r in rows] == ["b"]
    assert rows[0]["explanation"]["replaces"] == {
        "mentor_id": "a",
        "reason": "patient_asked_for_change",
    }

    again = await client.post(
        f"/matches/{rows[0]['match_id']}/decline", json={"reason": "patient_declined"}
    )
    assert again.status_code == 200
    assert await matches(matching_service, episode_id=stay.episode_id, status="active") == []
    [waiting] = (await client.get("/waitlist")).json()
    assert waiting["episode_id"] == stay.episode_id  # "a" has room but was declined

    repeat = await client.post(
        f"/matches/{first['match_id']}/decline", json={"reason": "patient_declined"}
    )
    assert repeat.status_code == 409
    unknown = await client.post("/matches/mt_nope/decline", json={"reason": "patient_declined"})
    assert unknown.status_code == 404


async def test_mentors_on_leave_or_no_longer_certified_hand_over_their_mentees(
    matching_service, clean_nats
):
    client = matching_service.client
    await client.post("/mentors", json=factories.mentor(mentor_id="leaving", capacity=5))
    async with Publisher(clean_nats) as publisher:
        first = await admit_with_consent(publisher)
        second = await admit_with_consent(publisher)
        for stay in (first, second):
            await wait_until(
                lambda stay=stay: matches(matching_service, episode_id=stay.episode_id),
                what="a match",
            )
    await client.post("/mentors", json=factories.mentor(mentor_id="lapsing", capacity=5))
    await client.patch("/mentors/leaving", json={"status": "on_leave"})
    for stay in (first, second):
        [row] = await matches(matching_service, episode_id=stay.episode_id, status="active")
        assert row["mentor_id"] == "lapsing"
        assert row["explanation"]["replaces"] == {
            "mentor_id": "leaving",
            "reason": "mentor on leave",
        }

    # a core certification runs out overnight: the periodic check hands the mentees on
    await client.post("/mentors", json=factories.mentor(mentor_id="steady", capacity=5))
    async with matching_service.runtime.unit_of_work() as session:
        mentor = await session.get(Mentor, "lapsing")
        mentor.certified_until = date.today() - timedelta(days=1)
    [watch] = [x for x in matching_service.runtime.listeners if x.name == "lapse-watch"]
    assert await watch.check() == 2
    for stay in (first, second):
        [row] = await matches(matching_service, episode_id=stay.episode_id, status="active")
        assert row["mentor_id"] == "steady"
        assert row["explanation"]["replaces"]["reason"] == "mentor's certification lapsed"
    ready = (await client.get("/readyz")).json()["checks"]["listener:lapse-watch"]
    assert ready["ok"]


async def test_freed_places_go_to_the_whole_waitlist_at_once(matching_service, clean_nats):
    client = matching_service.client
    both = factories.mentor(mentor_id="both", languages=["bn", "hi"], capacity=0)
    bengali = factories.mentor(mentor_id="bengali", languages=["bn"], capacity=0)
    await client.post("/mentors", json=both)
    await client.post("/mentors", json=bengali)
    async with Publisher(clean_nats) as publisher:
        bn = await admit_with_consent(publisher, language="bn")
        hi = await admit_with_consent(publisher, language="hi")
        await wait_until(
            lambda: client.get("/waitlist"),
            lambda r: len(r.json()) == 2,
            what="both waiting",
        )
    # one request frees a place with each mentor: greedy would give "both" to the Bengali
    # speaker who waited longer and strand the Hindi speaker; the whole-waitlist flow does not
    async with matching_service.runtime.unit_of_work() as session:
        for mentor_id in ("both", "bengali"):
            mentor = await session.get(Mentor, mentor_id)
            mentor.capacity = 1
    async with matching_service.runtime.unit_of_work() as session:
        assert (
            await fill_waitlist(
                session, None, policy_from(matching_service.app.state.runtime.settings)
            )
            == 2
        )
    rows = {r["episode_id"]: r for r in await matches(matching_service, status="active")}
    assert rows[bn.episode_id]["mentor_id"] == "bengali"
    assert rows[hi.episode_id]["mentor_id"] == "both"
    assert rows[hi.episode_id]["explanation"]["via"] == "waitlist re-optimisation"
