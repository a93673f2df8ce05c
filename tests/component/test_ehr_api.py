"""Intake in-process on a real database and real NATS: admissions, transitions, consent."""

import json

import pytest

from helpers import factories
from helpers.intake import published
from helpers.streams import stream_messages


async def test_admission_is_announced_without_identity(intake, clean_nats):
    body = factories.admission()
    response = await intake.client.post("/admissions", json=body)
    assert response.status_code == 201
    episode = response.json()["episode"]
    assert episode["patient_ref"].startswith("pt_") and episode["status"] == "admitted"

    [message] = await published(clean_nats, 1)
    event = json.loads(message.data)
    assert message.subject == "intake.episode.admitted.v1"
    assert message.headers["Nats-Msg-Id"] == event["event_id"]
    assert event["data"]["episode_id"] == episode["episode_id"]
    for secret in (body["mrn"], body["family_name"], body["visit_number"]):
        assert secret not in message.data.decode()


async def test_same_visit_twice_is_answered_once(intake, clean_nats):
    body = factories.admission()
    first = await intake.client.post("/admissions", json=body)
    again = await intake.client.post("/admissions", json=body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == {**first.json(), "created": False}
    await intake.runtime.relay.drain()
    assert len(await stream_messages(clean_nats, "SAATHI_INTAKE")) == 1


async def test_readmission_keeps_the_patient_ref(intake):
    network_mrn = {"mrn": "MRN-SAME", "mrn_authority": "saathi"}
    first = await intake.client.post("/admissions", json=factories.admission(**network_mrn))
    second = await intake.client.post(
        "/admissions", json=factories.admission(**network_mrn, branch="kol-behala")
    )
    one, two = first.json()["episode"], second.json()["episode"]
    assert one["patient_ref"] == two["patient_ref"] and one["episode_id"] != two["episode_id"]


@pytest.mark.parametrize(
    ("change", "status", "reason"),
    [
        ({"branch": "kol-nowhere"}, 422, "unknown branch"),
        ({"surprise": "field"}, 422, "surprise"),
        ({"mrn": ""}, 422, "mrn"),
        ({"language": "Bengali!"}, 422, "language"),
    ],
)
async def test_bad_admission_is_refused_with_a_reason_and_changes_nothing(
    intake, clean_nats, change, status, reason
):
    response = await intake.client.post("/admissions", json=factories.admission(**change))
    assert response.status_code == status
    assert reason in response.text
    await intake.runtime.relay.drain()
    assert await stream_messages(clean_nats, "SAATHI_INTAKE") == []


async def test_episode_lifecycle_and_refusals(intake, clean_nats):
    episode = (await intake.client.post("/admissions", json=factories.admission())).json()[
        "episode"
    ]
    base = f"/episodes/{episode['episode_id']}"

    assert (await intake.client.post(f"{base}/cancel-discharge")).status_code == 409
    discharged = await intake.client.post(f"{base}/discharge", json={"disposition": "home"})
    assert discharged.json()["status"] == "discharged" and discharged.json()["version"] == 2
    again = await intake.client.post(f"{base}/discharge", json={})
    assert again.status_code == 409 and "discharged" in again.json()["detail"]
    readmitted = await intake.client.post(f"{base}/cancel-discharge")
    assert readmitted.json()["status"] == "admitted" and readmitted.json()["version"] == 3
    cancelled = await intake.client.post(f"{base}/cancel-admission")
    assert cancelled.json()["status"] == "cancelled"
    assert (await intake.client.post("/episodes/ep_missing/discharge", json={})).status_code == 404

    subjects = [m.subject for m in await published(clean_nats, 4)]
    assert subjects == [
        "intake.episode.admitted.v1",
        "intake.episode.discharged.v1",
        "intake.episode.discharge_cancelled.v1",
        "intake.episode.admission_cancelled.v1",
    ]


async def test_a_move_to_another_branch_is_its_own_event(intake, clean_nats):
    episode = (await intake.client.post("/admissions", json=factories.admission())).json()[
        "episode"
    ]
    moved = await intake.client.post(
        f"/episodes/{episode['episode_id']}/transfer", json={"branch": "kol-behala", "ward": "w2"}
    )
    assert moved.status_code == 200 and moved.json()["branch"] == "kol-behala"
    ward_only = await intake.client.post(
        f"/episodes/{episode['episode_id']}/transfer", json={"branch": "kol-behala", "ward": "w3"}
    )
    assert ward_only.status_code == 200
    unknown = await intake.client.post(
        f"/episodes/{episode['episode_id']}/transfer", json={"branch": "mars", "ward": "w2"}
    )
    assert unknown.status_code == 422
    subjects = [m.subject for m in await published(clean_nats, 3)]
    assert subjects[1:] == [
        "intake.episode.branch_transferred.v1",
        "intake.episode.transferred.v1",
    ]


async def test_consent_changes_are_announced_once(intake, clean_nats):
    episode = (await intake.client.post("/admissions", json=factories.admission())).json()[
        "episode"
    ]
    url = f"/patients/{episode['patient_ref']}/consent"
    assert (await intake.client.put(url, json=factories.consent("given"))).json()["version"] == 1
    assert (await intake.client.put(url, json=factories.consent("given"))).json()["version"] == 1
    assert (await intake.client.put(url, json=factories.consent("withdrawn"))).json()[
        "version"
    ] == 2
    assert (
        await intake.client.put("/patients/pt_nobody/consent", json=factories.consent())
    ).status_code == 404

    messages = await published(clean_nats, 3)
    consents = [json.loads(m.data)["data"]["status"] for m in messages if "consent" in m.subject]
    assert consents == ["given", "withdrawn"]


async def test_health_and_readiness(intake):
    assert (await intake.client.get("/healthz")).json() == {"status": "ok"}
    ready = await intake.client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"]["database"]["ok"] and ready.json()["checks"]["broker"]["ok"]


async def test_consent_taken_at_admission_is_announced_with_it(intake, clean_nats):
    body = factories.admission(consent=factories.consent("given"))
    assert (await intake.client.post("/admissions", json=body)).status_code == 201
    subjects = [m.subject for m in await published(clean_nats, 2)]
    assert subjects == ["intake.episode.admitted.v1", "intake.consent.changed.v2"]


async def test_batch_admission_is_all_or_nothing(intake, clean_nats):
    good = [factories.admission() for _ in range(3)]
    refused = await intake.client.post(
        "/admissions/batch", json={"admissions": [*good, factories.admission(branch="mars")]}
    )
    assert refused.status_code == 422 and "admissions[3]" in refused.json()["detail"]
    assert (await intake.client.get("/episodes")).json() == []

    accepted = await intake.client.post("/admissions/batch", json={"admissions": good})
    assert accepted.status_code == 200 and all(r["created"] for r in accepted.json())
    listed = await intake.client.get("/episodes", params={"status": "admitted"})
    assert len(listed.json()) == 3
    assert len(await published(clean_nats, 3)) == 3
