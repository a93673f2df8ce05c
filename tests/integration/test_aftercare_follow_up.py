"""Aftercare's closed loop on real JetStream, with a clock the test moves: first attendance and
outreach, 7- and 30-day follow-ups (completed, refused on the discharge day, missed once
across a restart), drop-off reasons, and a readmission at another branch linked."""

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest

from aftercare.app import create_app
from aftercare.config import AftercareSettings
from helpers import events
from helpers.apps import FAST, FakeClock, RunningService, running
from helpers.backends import Databases
from helpers.events import Publisher
from helpers.groups import announce_groups, meeting_held, outpatient_group
from helpers.streams import messages_on
from helpers.waiting import wait_until
from shared.contracts.intake import EpisodeState


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime.now(UTC))


@asynccontextmanager
async def aftercare_running(
    nats_url: str, database_url: str, clock: FakeClock
) -> AsyncIterator[RunningService]:
    settings = AftercareSettings(
        database_url=database_url, nats_url=nats_url, check_interval_s=3600, **FAST
    )
    async with running(partial(create_app, clock=clock), settings) as service:
        yield service


@pytest.fixture
async def database_url(dbs: Databases) -> str:
    return await dbs.url("aftercare")


@pytest.fixture
async def aftercare(clean_nats, database_url, clock):
    async with aftercare_running(clean_nats, database_url, clock) as service:
        yield service


def job(service: RunningService, name: str):
    [found] = [j for j in service.runtime.listeners if getattr(j, "name", "") == name]
    return found


async def discharged_and_enrolled(
    service: RunningService, nats_url: str, **episode: object
) -> tuple[EpisodeState, dict]:
    """A consenting patient discharged, once aftercare has enrolled them."""
    stay = events.episode(**episode)
    async with Publisher(nats_url) as publisher:
        await publisher.event(events.consent(stay))
        await publisher.event(events.discharged(stay))
    response = await wait_until(
        lambda: service.client.get("/enrolments", params={"episode_id": stay.episode_id}),
        lambda r: len(r.json()) == 1 and r.json()[0]["status"] == "enrolled",
        what="enrolment",
    )
    return stay, response.json()[0]


async def aftercare_events(nats_url: str, prefix: str) -> list[dict]:
    found = await messages_on(nats_url, "SAATHI_AFTERCARE", prefix)
    return [json.loads(m.data)["data"] for m in found]


async def get_json(service: RunningService, url: str, **params: str) -> list[dict]:
    return list((await service.client.get(url, params=params)).json())


async def tasks(service: RunningService, **params: str) -> list[dict]:
    return await get_json(service, "/tasks", **params)


async def test_first_attendance_is_tracked_and_absence_brings_outreach(
    aftercare, clean_nats, clock
):
    group = outpatient_group()
    await announce_groups(clean_nats, group)
    await wait_until(
        lambda: aftercare.client.get(f"/groups/{group.group_id}"),
        lambda r: r.is_success,
        what="group",
    )
    came, _ = await discharged_and_enrolled(aftercare, clean_nats)
    away, _ = await discharged_and_enrolled(aftercare, clean_nats)

    async with Publisher(clean_nats) as publisher:
        await publisher.event(
            meeting_held(group.group_id, [came.patient_ref], [away.patient_ref], "gm_first")
        )
    [outreach] = await wait_until(
        lambda: tasks(aftercare, kind="first_attendance_outreach"), what="outreach task"
    )
    [first] = await wait_until(
        lambda: aftercare_events(clean_nats, "aftercare.enrolment.first_attended"),
        what="first attendance",
    )

    assert outreach["patient_ref"] == away.patient_ref and outreach["assignee_id"] == "mn_out"
    assert first["patient_ref"] == came.patient_ref and first["meeting_id"] == "gm_first"
    [attended] = (
        await aftercare.client.get("/enrolments", params={"episode_id": came.episode_id})
    ).json()
    assert attended["first_attended_at"] is not None

    # Nobody records the next patient's first meeting: once it has passed, outreach is due.
    late, _ = await discharged_and_enrolled(aftercare, clean_nats)
    sweep = job(aftercare, "first-attendance")
    assert await sweep.check() == 0
    clock.current += timedelta(days=9)
    assert await sweep.check() == 1
    assert await sweep.check() == 0
    assert {t["patient_ref"] for t in await tasks(aftercare, kind="first_attendance_outreach")} == {
        away.patient_ref,
        late.patient_ref,
    }


async def test_follow_ups_complete_in_the_window_and_are_missed_once_across_a_restart(
    clean_nats, database_url, clock
):
    async with aftercare_running(clean_nats, database_url, clock) as service:
        await announce_groups(clean_nats, outpatient_group())
        stay, _ = await discharged_and_enrolled(service, clean_nats)
        due = (
            await service.client.get("/follow-ups", params={"episode_id": stay.episode_id})
        ).json()
        week, month = sorted(due, key=lambda f: f["due_by"])
        contact = partial(service.client.post, f"/follow-ups/{week['follow_up_id']}/contacts")
        same_day = await contact(json={"reached": True, "channel": "phone", "by": "mn_out"})
        clock.current += timedelta(days=2)
        not_reached = await contact(json={"reached": False, "channel": "phone", "by": "mn_out"})
        reached = await contact(json={"reached": True, "channel": "phone", "by": "mn_out"})

        assert (week["kind"], month["kind"]) == ("day_7", "day_30")
        assert same_day.status_code == 422 and "discharge day" in same_day.text
        assert not_reached.json()["status"] == "due"
        assert reached.json()["status"] == "completed"

    clock.current += timedelta(days=30)
    async with aftercare_running(clean_nats, database_url, clock) as service:
        sweep = job(service, "follow-up-windows")
        await sweep.check()
        assert await sweep.check() == 0
        missed = await wait_until(
            lambda: aftercare_events(clean_nats, "aftercare.follow_up.missed"), what="missed"
        )
        assert [m["follow_up_id"] for m in missed] == [month["follow_up_id"]]
        [task] = await tasks(service, kind="follow_up_missed")
        assert task["episode_id"] == stay.episode_id
        completed = await aftercare_events(clean_nats, "aftercare.follow_up.completed")
        assert [c["follow_up_id"] for c in completed] == [week["follow_up_id"]]


async def test_a_readmission_at_another_branch_is_linked_and_ends_the_outpatient_place(
    aftercare, clean_nats
):
    await announce_groups(clean_nats, outpatient_group())
    stay, enrolment = await discharged_and_enrolled(aftercare, clean_nats)
    discharged_at = datetime.now(UTC)
    again = events.episode(
        patient_ref=stay.patient_ref,
        branch="kol-behala",
        admitted_at=discharged_at + timedelta(days=12),
    )
    async with Publisher(clean_nats) as publisher:
        await publisher.event(events.admitted(again))

    [link] = await wait_until(
        lambda: get_json(aftercare, "/readmissions"),
        what="readmission link",
    )
    assert link["previous_episode_id"] == stay.episode_id and link["branch"] == "kol-behala"
    assert link["previous_branch"] == "kol-salt-lake" and link["days_since_discharge"] == 12
    [ended] = (
        await aftercare.client.get("/enrolments", params={"episode_id": stay.episode_id})
    ).json()
    assert ended["status"] == "cancelled" and ended["reason"] == "readmitted"
    follow_ups = (
        await aftercare.client.get("/follow-ups", params={"episode_id": stay.episode_id})
    ).json()
    assert {f["status"] for f in follow_ups} == {"cancelled"}
    [linked] = await aftercare_events(clean_nats, "aftercare.readmission.linked")
    assert linked["episode_id"] == again.episode_id
    assert enrolment["enrolment_id"] == ended["enrolment_id"]


async def test_a_drop_off_is_recorded_and_not_undone_by_later_events(aftercare, clean_nats):
    await announce_groups(clean_nats, outpatient_group())
    stay, enrolment = await discharged_and_enrolled(aftercare, clean_nats)

    dropped = await aftercare.client.post(
        f"/enrolments/{enrolment['enrolment_id']}/drop-off", json={"reason": "transport"}
    )
    twice = await aftercare.client.post(
        f"/enrolments/{enrolment['enrolment_id']}/drop-off", json={"reason": "transport"}
    )
    async with Publisher(clean_nats) as publisher:
        await publisher.event(events.consent(stay, version=2))
    # Intake's events are applied in order: once a later patient is enrolled, so was that one.
    _, marker_enrolment = await discharged_and_enrolled(aftercare, clean_nats)

    assert dropped.json()["status"] == "cancelled"
    assert dropped.json()["reason"] == "dropped out: transport"
    assert twice.status_code == 409
    [still] = (
        await aftercare.client.get("/enrolments", params={"episode_id": stay.episode_id})
    ).json()
    assert still["status"] == "cancelled" and marker_enrolment["status"] == "enrolled"


async def test_a_merge_keeps_the_enrolment_under_the_surviving_record(aftercare, clean_nats):
    await announce_groups(clean_nats, outpatient_group())
    stay, enrolment = await discharged_and_enrolled(aftercare, clean_nats)
    survivor = events.episode().patient_ref  # the record this one is merged into (HL7 A40)
    async with Publisher(clean_nats) as publisher:
        await publisher.event(events.relabelled(events.discharged(stay).data, survivor))
        await publisher.event(events.merged(stay.patient_ref, survivor))
    [kept] = await wait_until(
        lambda: get_json(aftercare, "/enrolments", episode_id=stay.episode_id),
        lambda rows: rows and rows[0]["patient_ref"] == survivor,
        what="the enrolment re-keyed to the survivor",
    )
    assert kept["status"] == "enrolled" and kept["reason"] is None
    assert kept["enrolment_id"] == enrolment["enrolment_id"]
    cancelled = await aftercare_events(clean_nats, "aftercare.enrolment.cancelled")
    assert cancelled == []
