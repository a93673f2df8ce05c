"""The identity vault through MLLP, REST and FHIR on a real database: birth dates are the
calendar dates sent, an ABHA number is one identity however written, and identifiers are keyed
by (assigning authority, type, value)."""

import asyncio
from datetime import datetime, timedelta, timezone

import pytest

from helpers import factories
from helpers.hl7 import codes, send
from helpers.intake import mllp_port
from intake.hl7.client import ack_code

ABHA = "91-4443-4293-4402"


def adt(sender: str, control: str, pid3: str, visit: str = "", **fields: str) -> bytes:
    """An ADT message in the style of `sender`'s EHR (SALTLAKE: 2.3.1, BEHALA: 2.5.1)."""
    version = "2.3.1" if sender == "SALTLAKE" else "2.5.1"
    trigger, birth = fields.get("trigger", "A01"), fields.get("birth", "19950724")
    segments = [
        f"MSH|^~\\&|EHR|{sender}|SAATHI|SAATHI-INTAKE|20260314093000+0530||ADT^{trigger}"
        f"|{control}|P|{version}",
        f"EVN|{trigger}|20260314093000+0530",
        f"PID|1||{pid3}||DAS^RINA||{birth}|F",
    ]
    if "mrg" in fields:
        segments.append(f"MRG|{fields['mrg']}")
    else:
        admit = "20260314093000+0530"
        segments.append(f"PV1|1|I|W1||||||||||||||||{visit}" + "|" * 25 + admit)
    return "\r".join(segments).encode()


@pytest.fixture
def port(intake) -> int:
    return mllp_port(intake.runtime)


async def find(intake, **key: str) -> dict:
    response = await intake.client.get("/patients", params=key)
    assert response.status_code == 200, response.text
    return response.json()


async def refs(intake) -> list[str]:
    episodes = (await intake.client.get("/episodes")).json()
    return [episode["patient_ref"] for episode in episodes]


async def test_a_birth_date_over_mllp_is_stored_as_the_date_sent(intake, port):
    assert await codes(port, adt("SALTLAKE", "B1", "SL-1^^^KOL-SL^MR", "V1")) == ["AA"]
    person = await find(intake, authority="kol-sl", type="MR", value="SL-1")
    assert person["birth_date"] == "1995-07-24"


async def test_one_abha_number_written_two_ways_by_two_ehrs_is_one_patient(intake, port):
    hyphens = adt("BEHALA", "A1", f"KB-1^^^KOL-BEH^MR~{ABHA}^^^ABHA^NI", "VB-1")
    plain = adt("SALTLAKE", "S1", "SL-7^^^KOL-SL^MR~91444342934402^^^ABHA^NI", "VS-1")
    assert await codes(port, hyphens) == ["AA"]
    assert await codes(port, plain) == ["AA"]

    first, readmission = await refs(intake)
    assert first == readmission  # the second stay belongs to the same patient
    for spelling in (ABHA, "91444342934402", "91 4443 4293 4402"):
        assert (await find(intake, type="ABHA", value=spelling))["patient_ref"] == first
    person = await find(intake, authority="KOL-SL", type="MR", value="SL-7")
    assert person["patient_ref"] == first
    assert {"authority": "KOL-BEH", "type": "MR", "value": "KB-1", "display": "KB-1"} in person[
        "identifiers"
    ]
    assert {"authority": "ABDM", "type": "ABHA", "value": "91444342934402", "display": ABHA} in (
        person["identifiers"]
    )


async def test_two_spellings_applied_in_one_group_commit_are_one_patient(intake, port):
    """Messages arriving together are applied in one transaction from a prefetched cache: the
    cache is keyed by the canonical identifier too."""
    spellings = (ABHA, "91444342934402", "91 4443 4293 4402", "9144 4342 9344 02")
    messages = [
        adt("BEHALA", f"G{n}", f"G-{n}^^^KOL-BEH^MR~{spelling}^^^ABHA^NI", f"VG-{n}")
        for n, spelling in enumerate(spellings)
    ]
    answers = await asyncio.gather(*(codes(port, message) for message in messages))
    assert answers == [["AA"]] * len(spellings)
    assert len(set(await refs(intake))) == 1


async def test_an_abha_number_that_is_not_14_digits_is_ae_and_changes_nothing(intake, port):
    [ack] = await send(port, adt("BEHALA", "A9", "KB-9^^^KOL-BEH^MR~91-4443-4293^^^ABHA", "V9"))
    assert ack_code(ack) == "AE" and "PID^1^3" in ack and "14 digits" in ack
    assert await refs(intake) == []


async def test_the_same_mrn_from_two_branches_is_two_patients_an_enterprise_id_one(intake, port):
    assert await codes(port, adt("BEHALA", "A1", "12345^^^KOL-BEH^MR", "VB-1")) == ["AA"]
    assert await codes(port, adt("SALTLAKE", "S1", "12345^^^KOL-SL^MR", "VS-1")) == ["AA"]
    behala = await find(intake, authority="KOL-BEH", type="MR", value="12345")
    salt_lake = await find(intake, authority="KOL-SL", type="MR", value="12345")
    assert behala["patient_ref"] != salt_lake["patient_ref"]

    enterprise = "E-77^^^SAATHI^PE"
    for message in (
        adt("BEHALA", "A2", f"777^^^KOL-BEH^MR~{enterprise}", "VB-2"),
        adt("SALTLAKE", "S2", f"888^^^KOL-SL^MR~{enterprise}", "VS-2"),
    ):
        assert await codes(port, message) == ["AA"]
    one = await find(intake, authority="KOL-BEH", type="MR", value="777")
    two = await find(intake, authority="KOL-SL", type="MR", value="888")
    assert one["patient_ref"] == two["patient_ref"]
    assert (await find(intake, authority="saathi", type="PE", value="E-77")) == one
    assert len(await refs(intake)) == 4


async def test_a_merge_names_the_prior_patient_by_the_same_keys(intake, port):
    assert await codes(port, adt("BEHALA", "A1", "12345^^^KOL-BEH^MR", "VB-1")) == ["AA"]
    assert await codes(port, adt("SALTLAKE", "S1", "12345^^^KOL-SL^MR", "VS-1")) == ["AA"]
    assert await codes(port, adt("SALTLAKE", "S2", "SL-9^^^KOL-SL^MR", "VS-2")) == ["AA"]
    salt_lake = await find(intake, authority="KOL-SL", type="MR", value="12345")

    merge = adt("SALTLAKE", "S3", "SL-9^^^KOL-SL^MR", trigger="A40", mrg="12345^^^KOL-BEH^MR")
    assert await codes(port, merge) == ["AA"]

    survivor = await find(intake, authority="KOL-SL", type="MR", value="SL-9")
    merged = await find(intake, authority="KOL-BEH", type="MR", value="12345")
    assert merged["patient_ref"] == survivor["patient_ref"]
    untouched = await find(intake, authority="KOL-SL", type="MR", value="12345")
    assert untouched["patient_ref"] == salt_lake["patient_ref"] != survivor["patient_ref"]


async def test_rest_admissions_key_the_mrn_by_its_authority_and_take_any_abha_spelling(
    intake, port
):
    body = factories.admission(mrn="M-1", abha="91 4443 4293 4402", birth_date="1995-07-24")
    first = (await intake.client.post("/admissions", json=body)).json()["episode"]
    elsewhere = factories.admission(mrn="M-1", branch="kol-behala")
    other = (await intake.client.post("/admissions", json=elsewhere)).json()["episode"]
    assert other["patient_ref"] != first["patient_ref"]  # M-1 of another branch: another person

    assert await codes(
        port, adt("SALTLAKE", "S1", "SL-1^^^KOL-SL^MR~91444342934402^^^ABHA", "V")
    ) == ["AA"]
    person = await find(intake, authority="kol-salt-lake", type="MR", value="M-1")
    assert person["patient_ref"] == first["patient_ref"] and person["birth_date"] == "1995-07-24"
    assert len([i for i in person["identifiers"] if i["type"] == "MR"]) == 2


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"abha": "91-4443-4293-440"}, "14 digits"),
        ({"abha": "9144434293440A"}, "14 digits"),
        ({"birth_date": "2999-01-01"}, "in the future"),
    ],
)
async def test_a_bad_abha_or_birth_date_in_an_admission_is_422(intake, change, says):
    response = await intake.client.post("/admissions", json=factories.admission(**change))
    assert response.status_code == 422 and says in response.text
    assert await refs(intake) == []


@pytest.mark.parametrize(
    ("key", "says"),
    [
        ({"type": "ABHA", "value": "1234"}, "14 digits"),
        ({"type": "MR", "value": "M-1"}, "authority"),
    ],
)
async def test_a_lookup_that_is_not_an_identifier_is_422(intake, key, says):
    response = await intake.client.get("/patients", params=key)
    assert response.status_code == 422 and says in response.text


def fhir_bundle(*identifiers: dict, birth: str = "1995-07-24") -> dict:
    """A transaction Bundle: a Patient and its in-progress Encounter at Salt Lake."""
    url = "urn:uuid:00000000-0000-4000-8000-000000000001"
    patient = {
        "resourceType": "Patient",
        "identifier": list(identifiers),
        "name": [{"family": "Das", "given": ["Rina"]}],
        "birthDate": birth,
    }
    encounter = {
        "resourceType": "Encounter",
        "status": "in-progress",
        "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "IMP"},
        "identifier": [{"system": "urn:saathi:visit:kol-salt-lake", "value": "VF-1"}],
        "subject": {"reference": url},
        "serviceProvider": {"reference": "Organization/kol-salt-lake"},
        "period": {"start": "2026-03-14T09:30:00+05:30"},
    }
    return {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {"fullUrl": url, "resource": patient, "request": {"method": "POST", "url": "Patient"}},
            {"resource": encounter, "request": {"method": "POST", "url": "Encounter"}},
        ],
    }


ENTERPRISE = {
    "system": "urn:saathi:authority:SAATHI",
    "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "PE"}]},
    "value": "E-77",
}


async def test_fhir_keys_identifiers_like_hl7_and_keeps_the_birth_date(intake, port):
    assert await codes(port, adt("BEHALA", "A1", "E-77^^^SAATHI^PE", "VB-1")) == ["AA"]
    abha = {"system": "https://healthid.abdm.gov.in", "value": "91444342934402"}
    response = await intake.client.post("/fhir", json=fhir_bundle(ENTERPRISE, abha))
    assert response.status_code == 200, response.text

    first, readmission = await refs(intake)
    assert first == readmission
    person = await find(intake, type="ABHA", value=ABHA)
    assert person["patient_ref"] == first and person["birth_date"] == "1995-07-24"


@pytest.mark.parametrize(
    ("identifier", "birth", "says"),
    [
        ({"system": "https://healthid.abdm.gov.in", "value": "91-4443"}, "1995-07-24", "14 digits"),
        (ENTERPRISE, "2999-01-01", "in the future"),
    ],
)
async def test_fhir_refuses_a_bad_abha_or_a_future_birth_date(intake, identifier, birth, says):
    response = await intake.client.post("/fhir", json=fhir_bundle(identifier, birth=birth))
    assert response.status_code == 422
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome" and says in str(outcome["issue"])
    assert await refs(intake) == []


async def test_a_baby_born_today_anywhere_is_admitted(intake):
    today_somewhere = datetime.now(timezone(timedelta(hours=14))).date().isoformat()
    body = factories.admission(birth_date=today_somewhere)
    assert (await intake.client.post("/admissions", json=body)).status_code == 201
