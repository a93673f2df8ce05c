"""FHIR R4 into intake on a real database and NATS: Encounters and transaction Bundles map to
the same commands as HL7; invalid resources get an OperationOutcome and change nothing."""

import pytest

from helpers.intake import published
from helpers.streams import stream_messages

MRN = "urn:saathi:mrn"
VISITS = "urn:saathi:visit:kol-salt-lake"


def patient(mrn: str = "MRN-F1", abha: str = "91-5555-6666-7777", **extra) -> dict:
    return {
        "resourceType": "Patient",
        "identifier": [
            {"system": MRN, "value": mrn},
            {"system": "https://healthid.abdm.gov.in", "value": abha},
        ],
        "name": [{"family": "মৈত্র", "given": ["অনুপ"]}],
        "gender": "male",
        "birthDate": "1984-05-06",
        "telecom": [{"system": "phone", "value": "+91 98300 11111"}],
        "communication": [{"language": {"coding": [{"code": "bn-IN"}]}}],
        **extra,
    }


def encounter(status: str = "in-progress", visit: str = "VF-1", **extra) -> dict:
    body = {
        "resourceType": "Encounter",
        "status": status,
        "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "IMP"},
        "identifier": [{"system": VISITS, "value": visit}],
        "subject": {"identifier": {"system": MRN, "value": "MRN-F1"}},
        "serviceProvider": {"reference": "Organization/kol-salt-lake"},
        "location": [{"location": {"display": "ward-7"}}],
        "period": {"start": "2026-03-14T09:30:00+05:30"},
    }
    body.update(extra)
    return body


def bundle(*resources: dict) -> dict:
    return {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {
                "fullUrl": f"urn:uuid:00000000-0000-4000-8000-{n:012d}",
                "resource": resource,
                "request": {"method": "POST", "url": resource["resourceType"]},
            }
            for n, resource in enumerate(resources)
        ],
    }


async def test_a_transaction_bundle_admits_with_identity_kept_in_intake(intake, clean_nats):
    subject = {"reference": "urn:uuid:00000000-0000-4000-8000-000000000000"}
    response = await intake.client.post("/fhir", json=bundle(patient(), encounter(subject=subject)))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/fhir+json")
    first, second = (entry["response"] for entry in response.json()["entry"])
    assert first["status"] == "201 Created" and first["location"].startswith("Patient/pt_")
    assert second["status"] == "201 Created" and second["location"].startswith("Encounter/ep_")

    ref = first["location"].removeprefix("Patient/")
    person = (await intake.client.get(f"/patients/{ref}")).json()
    assert (person["family_name"], person["given_name"], person["sex"]) == ("মৈত্র", "অনুপ", "M")
    assert {
        "authority": "ABDM",
        "type": "ABHA",
        "value": "91555566667777",
        "display": "91-5555-6666-7777",
    } in person["identifiers"]
    assert {
        "authority": "KOL-SALT-LAKE",  # an MRN without its authority: the admitting branch's
        "type": "MR",
        "value": "MRN-F1",
        "display": "MRN-F1",
    } in person["identifiers"]
    [episode] = (await intake.client.get("/episodes")).json()
    assert (episode["branch"], episode["ward"], episode["language"]) == (
        "kol-salt-lake",
        "ward-7",
        "bn",
    )
    [message] = await published(clean_nats, 1)
    assert b"MRN-F1" not in message.data and "মৈত্র".encode() not in message.data


async def test_encounter_statuses_drive_the_stay(intake, clean_nats):
    created = await intake.client.post("/fhir/Encounter", json=encounter())
    assert created.status_code == 201
    encounter_id = created.json()["id"]
    assert created.headers["location"] == f"Encounter/{encounter_id}"
    url = f"/fhir/Encounter/{encounter_id}"

    moved = encounter(location=[{"location": {"display": "ward-9"}}])
    assert (await intake.client.put(url, json=moved)).json()["location"][0]["location"] == {
        "display": "ward-9"
    }
    finished = encounter(
        "finished",
        location=[{"location": {"display": "ward-9"}}],
        period={"start": "2026-03-14T09:30:00+05:30", "end": "2026-03-30T10:00:00+05:30"},
    )
    done = await intake.client.put(url, json=finished)
    assert done.status_code == 200 and done.json()["status"] == "finished"
    assert (await intake.client.put(url, json=finished)).status_code == 200  # repeat: no change
    gone = await intake.client.put(url, json=encounter("entered-in-error"))
    assert gone.json()["status"] == "cancelled"
    read = await intake.client.get(url)
    assert read.json()["status"] == "cancelled"

    subjects = [m.subject.split(".")[2] for m in await published(clean_nats, 4)]
    assert subjects == ["admitted", "transferred", "discharged", "admission_cancelled"]


@pytest.mark.parametrize(
    ("body", "status", "says"),
    [
        ({**encounter(), "status": 42}, 400, "Encounter.status"),
        ({**encounter(), "unknownElement": True}, 400, "unknownElement"),
        ({**encounter(), "resourceType": "Observation"}, 422, "expected a Encounter"),
        (encounter("planned"), 422, "not taken"),
        (encounter(identifier=[]), 422, "Encounter.identifier"),
        (encounter(serviceProvider={"reference": "Organization/kol-nowhere"}), 422, "branch"),
        (encounter(subject={"reference": "Patient/pt_nobody"}), 404, "no patient"),
        (encounter(period={"start": "2026-03-14T09:30:00"}), 400, "period.start"),
        (encounter(period={"start": "2026-03-14"}), 422, "with a time"),
    ],
)
async def test_invalid_encounters_get_an_operation_outcome_and_change_nothing(
    intake, clean_nats, body, status, says
):
    response = await intake.client.post("/fhir/Encounter", json=body)
    assert response.status_code == status, response.text
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert says in str(outcome["issue"])
    assert (await intake.client.get("/episodes")).json() == []
    await intake.runtime.relay.drain()
    assert await stream_messages(clean_nats, "SAATHI_INTAKE") == []


async def test_a_bundle_with_one_bad_entry_changes_nothing(intake):
    subject = {"reference": "urn:uuid:00000000-0000-4000-8000-000000000000"}
    bad = encounter(subject=subject, serviceProvider={"reference": "Organization/mars"})
    response = await intake.client.post("/fhir", json=bundle(patient(), bad))
    assert response.status_code == 422
    assert response.json()["issue"][0]["expression"] == ["Bundle.entry[1]"]
    lookup = await intake.client.get(
        "/patients", params={"type": "ABHA", "value": "91555566667777"}
    )
    assert lookup.status_code == 404


async def test_the_r4_shape_is_expected_not_r5(intake):
    r5_class = encounter()
    r5_class["class"] = [{"coding": [{"code": "IMP"}]}]  # R5 made Encounter.class a list
    response = await intake.client.post("/fhir/Encounter", json=r5_class)
    assert response.status_code == 400 and "Encounter.class" in response.text
