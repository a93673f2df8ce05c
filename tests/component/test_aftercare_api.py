"""Aftercare in-process: groups, and enrolment on discharge with nobody pressing a button."""

import pytest

from aftercare.app import create_app
from aftercare.config import AftercareSettings
from helpers import events, factories
from helpers.apps import FAST, running
from helpers.events import Publisher
from helpers.waiting import wait_until
from shared.contracts.intake import EpisodeDischargeCancelled


@pytest.fixture
async def aftercare(clean_nats, dbs):
    settings = AftercareSettings(
        database_url=await dbs.url("aftercare"), nats_url=clean_nats, **FAST
    )
    async with running(create_app, settings) as service:
        yield service


async def enrolment_of(aftercare, episode_id):
    async def rows():
        return (await aftercare.client.get("/enrolments", params={"episode_id": episode_id})).json()

    return rows


@pytest.mark.parametrize(
    "change", [{"capacity": 0}, {"weekday": 7}, {"start_time": "25:00"}, {"language": "Bangla"}]
)
async def test_invalid_group_is_refused_with_the_field_named(aftercare, change):
    response = await aftercare.client.post("/groups", json={**factories.group(), **change})
    assert response.status_code == 422 and next(iter(change)) in response.text
    assert (await aftercare.client.get("/groups")).json() == []


async def test_discharge_enrols_and_cancelled_discharge_frees_the_seat(aftercare, clean_nats):
    group = (await aftercare.client.post("/groups", json=factories.group(capacity=1))).json()
    state = events.episode()
    async with Publisher(clean_nats) as publisher:
        await publisher.event(events.consent(state.patient_ref))
        discharge = events.discharged(state)
        await publisher.event(discharge)
        rows = await enrolment_of(aftercare, state.episode_id)
        [enrolled] = await wait_until(rows, what="enrolment")
        assert enrolled["status"] == "enrolled" and enrolled["group_id"] == group["group_id"]
        assert (await aftercare.client.get(f"/groups/{group['group_id']}")).json()["enrolled"] == 1

        back = discharge.data.model_copy(
            update={"status": "admitted", "discharged_at": None, "version": 3}
        )
        await publisher.event(EpisodeDischargeCancelled.new(back, branch=state.branch))
        [cancelled] = await wait_until(
            rows, lambda r: r[0]["status"] == "cancelled", what="cancelled"
        )
    assert cancelled["reason"] == "discharge cancelled"
    assert (await aftercare.client.get(f"/groups/{group['group_id']}")).json()["enrolled"] == 0


async def test_no_room_waitlists_until_a_group_opens(aftercare, clean_nats):
    state = events.episode(language="hi")
    async with Publisher(clean_nats) as publisher:
        await publisher.event(events.consent(state.patient_ref))
        await publisher.event(events.discharged(state))
    rows = await enrolment_of(aftercare, state.episode_id)
    [waiting] = await wait_until(rows, what="waitlisted")
    assert waiting["status"] == "waitlisted" and waiting["group_id"] is None
    opened = await aftercare.client.post("/groups", json=factories.group(language="hi"))
    [enrolled] = await rows()
    assert enrolled["status"] == "enrolled" and enrolled["group_id"] == opened.json()["group_id"]


async def test_without_consent_nobody_is_enrolled(aftercare, clean_nats):
    await aftercare.client.post("/groups", json=factories.group())
    silent, marker = events.episode(), events.episode()
    async with Publisher(clean_nats) as publisher:
        await publisher.event(events.discharged(silent))
        await publisher.event(events.consent(marker.patient_ref))
        await publisher.event(events.discharged(marker))
    await wait_until(await enrolment_of(aftercare, marker.episode_id), what="marker enrolled")
    assert await (await enrolment_of(aftercare, silent.episode_id))() == []
