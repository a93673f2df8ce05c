"""Matching's REST API for the shared mentor pool, in-process on a real database and NATS."""

from datetime import date, timedelta

import pytest

from helpers import events, factories
from helpers.apps import FAST, running
from helpers.events import Publisher
from helpers.waiting import wait_until
from matching.app import create_app
from matching.config import MatchingSettings


@pytest.fixture
async def matching(clean_nats, dbs):
    settings = MatchingSettings(database_url=await dbs.url("matching"), nats_url=clean_nats, **FAST)
    async with running(create_app, settings) as service:
        yield service


async def test_register_list_and_update_a_mentor(matching):
    created = await matching.client.post("/mentors", json=factories.mentor(mentor_id="mn-1"))
    assert created.status_code == 201
    assert created.json()["languages"] == ["bn", "en"] and created.json()["active_mentees"] == 0
    again = await matching.client.post("/mentors", json=factories.mentor(mentor_id="mn-1"))
    assert again.status_code == 409 and "already exists" in again.json()["detail"]

    updated = await matching.client.patch(
        "/mentors/mn-1", json={"status": "on_leave", "branches": ["kol-behala"]}
    )
    assert updated.json()["status"] == "on_leave" and updated.json()["branches"] == ["kol-behala"]
    assert updated.json()["languages"] == ["bn", "en"] and updated.json()["version"] == 2
    assert [m["mentor_id"] for m in (await matching.client.get("/mentors")).json()] == ["mn-1"]
    assert (await matching.client.get("/mentors", params={"status": "active"})).json() == []
    assert (await matching.client.patch("/mentors/nobody", json={"capacity": 2})).status_code == 404


@pytest.mark.parametrize(
    "change",
    [
        {"capacity": -1},
        {"languages": []},
        {"status": "sleeping"},
        {"role": "admin"},
        {"certifications": [{"kind": "ethics", "issued_on": "2026-01-01", "expires_on": "soon"}]},
        {
            "certifications": factories.certifications()
            + factories.certifications(kinds=("ethics",))
        },
        {"certifications": factories.certifications(kinds=("ethics", "boundaries"))},
        {"certifications": factories.certifications(date(2020, 1, 1))},
        {"gender": "unknown"},
        {"leave": {"starts_on": "2030-01-05", "ends_on": "2030-01-01"}},
        {"leave": {"starts_on": "2026-01-01", "ends_on": "2026-01-05"}},
    ],
)
async def test_invalid_mentor_is_refused_with_the_field_named(matching, change):
    response = await matching.client.post("/mentors", json=factories.mentor(**change))
    assert response.status_code == 422
    assert next(iter(change)) in response.text
    assert (await matching.client.get("/mentors")).json() == []


async def test_raising_capacity_matches_the_waitlist(matching, clean_nats):
    await matching.client.post("/mentors", json=factories.mentor(mentor_id="mn-1", capacity=0))
    async with Publisher(clean_nats) as publisher:
        state = events.episode()
        await publisher.event(events.admitted(state))
        await publisher.event(events.consent(state))
    await wait_until(
        lambda: matching.client.get("/waitlist"), lambda r: len(r.json()) == 1, what="waitlisted"
    )
    await matching.client.patch("/mentors/mn-1", json={"capacity": 1})
    matched = (
        await matching.client.get("/matches", params={"episode_id": state.episode_id})
    ).json()
    assert [m["mentor_id"] for m in matched] == ["mn-1"]
    assert (await matching.client.get("/waitlist")).json() == []


async def test_profile_certifications_notices_and_supervision(matching):
    in_a_year = date.today() + timedelta(days=365)
    body = factories.mentor(
        mentor_id="mn-p",
        gender="female",
        age_band="26-35",
        remote_ok=True,
        interests=["music", "cricket"],
        supervisor_id="sup-1",
    )
    created = await matching.client.post("/mentors", json=body)
    assert created.status_code == 201, created.text
    view = created.json()
    assert (view["gender"], view["age_band"], view["remote_ok"]) == ("female", "26-35", True)
    assert len(view["certifications"]) == 4 and view["certified_until"] == in_a_year.isoformat()

    # the ethics certificate runs out in ten days: a notice, and certified_until follows
    ending = date.today() + timedelta(days=10)
    certs = [c for c in factories.certifications() if c["kind"] != "ethics"]
    certs += factories.certifications(ending, kinds=("ethics",))
    updated = await matching.client.patch("/mentors/mn-p", json={"certifications": certs})
    assert updated.json()["certified_until"] == ending.isoformat()
    notices = (await matching.client.get("/certification-notices")).json()
    assert notices == [
        {
            "mentor_id": "mn-p",
            "kind": "ethics",
            "expires_on": ending.isoformat(),
            "state": "expires_soon",
        }
    ]
    assert (
        await matching.client.get("/certification-notices", params={"within_days": 5})
    ).json() == []

    # an active mentor cannot drop a core certification
    refused = await matching.client.patch("/mentors/mn-p", json={"certifications": certs[:2]})
    assert refused.status_code == 422 and "missing" in refused.json()["detail"]

    for n in range(8):
        extra = factories.mentor(mentor_id=f"mn-s{n}", supervisor_id="sup-1")
        assert (await matching.client.post("/mentors", json=extra)).status_code == 201
    [load] = (await matching.client.get("/supervisors")).json()
    assert load == {"supervisor_id": "sup-1", "mentors": 9, "limit": 8, "over_limit": True}


async def test_a_null_in_an_update_clears_only_what_may_be_empty(matching):
    await matching.client.post(
        "/mentors", json=factories.mentor(mentor_id="mn-n", supervisor_id="sup-9")
    )
    response = await matching.client.patch(
        "/mentors/mn-n", json={"supervisor_id": None, "capacity": None, "status": None}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["supervisor_id"] is None and body["capacity"] == 3 and body["status"] == "active"
