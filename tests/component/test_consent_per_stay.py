"""Intake on a real database and real NATS: consent to peer support belongs to a stay."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from helpers import factories
from helpers.apps import FAST, running
from helpers.backends import Databases
from helpers.hl7 import codes
from helpers.intake import mllp_port, published
from intake.app import create_app
from intake.config import IntakeSettings
from saathi_stack.hl7_samples import admission, discharge

V2 = "intake.consent.changed.v2"


@pytest.fixture
async def intake_carrying_over(clean_nats: str, dbs: Databases):
    """Intake where a readmission within 14 days starts with the last stay's given consent."""
    settings = IntakeSettings(
        database_url=await dbs.url("intake"),
        nats_url=clean_nats,
        consent_carry_over_days=14,
        **FAST,
    )
    async with running(create_app, settings) as service:
        yield service


async def _stay(client, mrn: str, admitted_at: datetime, **overrides: object) -> dict:
    body = factories.admission(mrn=mrn, admitted_at=admitted_at.isoformat(), **overrides)
    response = await client.post("/admissions", json=body)
    assert response.status_code == 201, response.text
    return response.json()["episode"]


async def _discharge(client, episode: dict, at: datetime) -> None:
    url = f"/episodes/{episode['episode_id']}/discharge"
    response = await client.post(url, json={"discharged_at": at.isoformat()})
    assert response.status_code == 200, response.text


async def _consent_events(url: str, count: int) -> list[dict]:
    messages = await published(url, count)
    return [json.loads(m.data)["data"] for m in messages if m.subject == V2]


async def test_a_readmission_starts_unanswered_whatever_the_last_stay_said(intake, clean_nats):
    start = datetime.now(UTC) - timedelta(days=10)
    first = await _stay(intake.client, "MRN-CPS-1", start)
    put = await intake.client.put(
        f"/episodes/{first['episode_id']}/consent", json=factories.consent("given")
    )
    assert put.status_code == 200 and put.json()["episode_id"] == first["episode_id"]
    await _discharge(intake.client, first, start + timedelta(days=3))

    second = await _stay(intake.client, "MRN-CPS-1", start + timedelta(days=5))

    asked = await intake.client.get(f"/episodes/{second['episode_id']}/consent")
    assert asked.status_code == 404 and "no consent answer" in asked.json()["detail"]
    kept = await intake.client.get(f"/episodes/{first['episode_id']}/consent")
    assert kept.json()["status"] == "given"


async def test_declined_is_a_recorded_answer_of_the_stay(intake, clean_nats):
    stay = await _stay(intake.client, "MRN-CPS-2", datetime.now(UTC) - timedelta(hours=2))

    response = await intake.client.put(
        f"/episodes/{stay['episode_id']}/consent", json=factories.consent("declined")
    )

    assert response.status_code == 200 and response.json()["status"] == "declined"
    answers = await intake.client.get(f"/patients/{stay['patient_ref']}/consents")
    assert [(a["episode_id"], a["status"]) for a in answers.json()] == [
        (stay["episode_id"], "declined")
    ]
    [event] = await _consent_events(clean_nats, 2)
    assert (event["episode_id"], event["status"]) == (stay["episode_id"], "declined")


async def test_patient_level_answer_goes_to_the_open_stay_and_withdrawal_to_every_stay(
    intake, clean_nats
):
    start = datetime.now(UTC) - timedelta(days=20)
    old = await _stay(intake.client, "MRN-CPS-3", start)
    await intake.client.put(f"/episodes/{old['episode_id']}/consent", json=factories.consent())
    await _discharge(intake.client, old, start + timedelta(days=2))
    now = await _stay(intake.client, "MRN-CPS-3", start + timedelta(days=10))
    url = f"/patients/{now['patient_ref']}/consent"

    given = await intake.client.put(url, json=factories.consent("given"))
    assert given.json()["episode_id"] == now["episode_id"]
    withdrawn = await intake.client.put(url, json=factories.consent("withdrawn"))

    assert withdrawn.json()["episode_id"] == now["episode_id"]
    answers = (await intake.client.get(f"/patients/{now['patient_ref']}/consents")).json()
    assert {a["episode_id"]: a["status"] for a in answers} == {
        old["episode_id"]: "withdrawn",
        now["episode_id"]: "withdrawn",
    }


async def test_consent_taken_with_the_admission_is_that_stays(intake, clean_nats):
    body = factories.admission(consent=factories.consent("declined"))
    stay = (await intake.client.post("/admissions", json=body)).json()["episode"]

    answer = (await intake.client.get(f"/episodes/{stay['episode_id']}/consent")).json()

    assert (answer["episode_id"], answer["status"]) == (stay["episode_id"], "declined")


async def test_consent_for_an_unknown_stay_or_an_unknown_answer_is_refused(intake):
    stay = await _stay(intake.client, "MRN-CPS-4", datetime.now(UTC) - timedelta(hours=1))
    response = await intake.client.put(
        "/episodes/ep_nobody/consent", json=factories.consent("given")
    )
    assert response.status_code == 404
    bad = await intake.client.put(
        f"/episodes/{stay['episode_id']}/consent", json=factories.consent("maybe")
    )
    assert bad.status_code == 422
    assert (await intake.client.get(f"/episodes/{stay['episode_id']}/consent")).status_code == 404


async def test_within_the_window_a_readmission_starts_with_the_given_consent_carried_over(
    intake_carrying_over, clean_nats
):
    client = intake_carrying_over.client
    start = datetime.now(UTC) - timedelta(days=30)
    first = await _stay(client, "MRN-CPS-5", start)
    await client.put(f"/episodes/{first['episode_id']}/consent", json=factories.consent())
    await _discharge(client, first, start + timedelta(days=5))

    within = await _stay(client, "MRN-CPS-5", start + timedelta(days=15))

    carried = (await client.get(f"/episodes/{within['episode_id']}/consent")).json()
    assert carried["status"] == "given"
    assert carried["carried_over_from"] == first["episode_id"]
    events = await _consent_events(clean_nats, 4)
    assert events[-1]["episode_id"] == within["episode_id"]
    assert events[-1]["carried_over_from"] == first["episode_id"]


async def test_beyond_the_window_or_after_a_decline_nothing_carries_over(
    intake_carrying_over, clean_nats
):
    client = intake_carrying_over.client
    start = datetime.now(UTC) - timedelta(days=60)
    first = await _stay(client, "MRN-CPS-6", start)
    await client.put(f"/episodes/{first['episode_id']}/consent", json=factories.consent())
    await _discharge(client, first, start + timedelta(days=2))
    late = await _stay(client, "MRN-CPS-6", start + timedelta(days=30))
    await client.put(f"/episodes/{late['episode_id']}/consent", json=factories.consent("declined"))
    await _discharge(client, late, start + timedelta(days=31))

    after_decline = await _stay(client, "MRN-CPS-6", start + timedelta(days=33))

    late_answer = (await client.get(f"/episodes/{late['episode_id']}/consent")).json()
    assert (late_answer["status"], late_answer["carried_over_from"]) == ("declined", None)
    asked = await client.get(f"/episodes/{after_decline['episode_id']}/consent")
    assert asked.status_code == 404


async def test_a_readmission_over_hl7_carries_over_too(intake_carrying_over):
    client, port = intake_carrying_over.client, mllp_port(intake_carrying_over.runtime)
    place = {"mrn": "MRN-CPS-7", "branch": "kol-salt-lake", "ward": "ward-a"}
    who = {"family": "Testpatient", "given": "Marker7", "language": "bn"}
    assert await codes(port, admission(control_id="CPS-1", visit="CPS-V1", **place, **who)) == [
        "AA"
    ]
    key = {"authority": "SAATHI", "type": "MR", "value": "MRN-CPS-7"}
    found = await client.get("/patients", params=key)
    ref = found.json()["patient_ref"]
    assert (await client.put(f"/patients/{ref}/consent", json=factories.consent())).is_success
    assert await codes(port, discharge(control_id="CPS-2", visit="CPS-V1", **place)) == ["AA"]

    assert await codes(port, admission(control_id="CPS-3", visit="CPS-V2", **place, **who)) == [
        "AA"
    ]

    answers = (await client.get(f"/patients/{ref}/consents")).json()
    [first, carried] = sorted(answers, key=lambda a: a["carried_over_from"] is not None)
    assert carried["status"] == "given"
    assert carried["carried_over_from"] == first["episode_id"]
