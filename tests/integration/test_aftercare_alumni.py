"""Alumni and the path to mentorship on real JetStream, with a clock the test moves: enough
meetings attended make an alumnus; interest opens the path only a year after discharge; the
training record, certification, and the nomination matching turns into a trainee mentor."""

import json
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest

from aftercare.app import create_app
from aftercare.config import AftercareSettings
from helpers import events
from helpers.apps import FAST, FakeClock, running
from helpers.backends import Databases
from helpers.events import Publisher
from helpers.groups import announce_groups, meeting_held, outpatient_group
from helpers.matching import matching_running
from helpers.streams import messages_on
from helpers.waiting import wait_until

COURSES = ("active_listening", "boundaries", "crisis_response", "ethics")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime.now(UTC))


@pytest.fixture
async def aftercare(clean_nats, dbs: Databases, clock):
    settings = AftercareSettings(
        database_url=await dbs.url("aftercare"),
        nats_url=clean_nats,
        completion_meetings=2,
        **FAST,
    )
    async with running(partial(create_app, clock=clock), settings) as service:
        yield service


async def subjects(nats_url: str) -> list[str]:
    found = await messages_on(nats_url, "SAATHI_AFTERCARE", "aftercare.peer_candidate.")
    return [m.subject for m in found]


async def test_an_alumnus_trains_is_certified_and_joins_the_mentor_pool(
    aftercare, clean_nats, dbs, clock
):
    client = aftercare.client
    group = outpatient_group()
    await announce_groups(clean_nats, group)
    stay = events.episode()
    async with Publisher(clean_nats) as publisher:
        await publisher.event(events.consent(stay))
        await publisher.event(events.discharged(stay))
        await wait_until(
            lambda: client.get("/enrolments", params={"episode_id": stay.episode_id}),
            lambda r: r.json() and r.json()[0]["status"] == "enrolled",
            what="enrolment",
        )
        candidacy = {"source": "interest", "languages": ["bn"], "lived_experience": ["depression"]}
        not_yet_alumnus = await client.post(
            f"/alumni/{stay.patient_ref}/mentor-candidacy", json=candidacy
        )
        for n in (1, 2):
            await publisher.event(
                meeting_held(group.group_id, [stay.patient_ref], meeting_id=f"gm_{n}")
            )
    [alumnus] = await wait_until(lambda: _json(client, "/alumni"), what="alumni membership")
    assert alumnus["patient_ref"] == stay.patient_ref
    assert not_yet_alumnus.status_code == 409

    too_soon = await client.post(f"/alumni/{stay.patient_ref}/mentor-candidacy", json=candidacy)
    clock.current += timedelta(days=366)
    opened = await client.post(f"/alumni/{stay.patient_ref}/mentor-candidacy", json=candidacy)
    assert too_soon.status_code == 409 and "the path opens after 365" in too_soon.text
    assert opened.status_code == 201, opened.text
    candidate = opened.json()["candidate_id"]

    def course(kind: str) -> dict:
        done = clock.current.date() - timedelta(days=3)
        return {
            "course": kind,
            "completed_on": done.isoformat(),
            "expires_on": (done + timedelta(days=730)).isoformat(),
        }

    unknown = await client.post(f"/candidates/{candidate}/courses", json=course("juggling"))
    for kind in COURSES[:3]:
        await client.post(f"/candidates/{candidate}/courses", json=course(kind))
    early = await client.post(f"/candidates/{candidate}/certify")
    await client.post(f"/candidates/{candidate}/courses", json=course("ethics"))
    certified = await client.post(f"/candidates/{candidate}/certify")

    assert unknown.status_code == 422
    assert early.status_code == 409 and "ethics" in early.text
    assert certified.status_code == 200, certified.text
    assert certified.json()["status"] == "certified"
    steps = await wait_until(
        lambda: subjects(clean_nats), lambda found: len(found) == 7, what="every step an event"
    )
    assert steps == [
        "aftercare.peer_candidate.opened.v1",
        *["aftercare.peer_candidate.course_completed.v1"] * 4,
        "aftercare.peer_candidate.certified.v1",
        "aftercare.peer_candidate.nominated.v1",
    ]

    # Matching turns the nomination into a trainee mentor in the shared pool.
    async with matching_running(clean_nats, dbs) as matching:
        mentor = await wait_until(
            lambda: matching.client.get(f"/mentors/mn-{candidate}"),
            lambda r: r.status_code == 200,
            what="the alumnus in the mentor pool",
        )
        assert mentor.json()["status"] == "trainee"
        assert {c["kind"] for c in mentor.json()["certifications"]} == set(COURSES)

        withdrawn = await client.post(f"/candidates/{candidate}/withdraw")
        assert withdrawn.json()["status"] == "withdrawn"
        retired = await wait_until(
            lambda: matching.client.get(f"/mentors/mn-{candidate}"),
            lambda r: r.json()["status"] == "retired",
            what="the withdrawn trainee retired",
        )
        assert retired.json()["mentor_id"] == f"mn-{candidate}"
    nominations = await messages_on(clean_nats, "SAATHI_AFTERCARE", "aftercare.peer_candidate.nom")
    assert [json.loads(m.data)["data"]["status"] for m in nominations] == ["nominated", "withdrawn"]


async def _json(client, url: str) -> list[dict]:
    return list((await client.get(url)).json())
