"""Intake's episode listing: by patient and by visit number, with the visit number shown, and
never another branch's episodes."""

from helpers import factories
from helpers.auth import bearer


async def admit(intake, **fields) -> dict:
    response = await intake.client.post("/admissions", json=factories.admission(**fields))
    assert response.status_code == 201, response.text
    return response.json()["episode"]


async def listed(intake, headers: dict | None = None, **params) -> list[dict]:
    response = await intake.client.get("/episodes", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_episodes_are_found_by_patient_and_by_visit_number(intake):
    same_person = {"mrn": "M-1", "mrn_authority": "SAATHI"}
    first = await admit(intake, visit_number="V-100", **same_person)
    again = await admit(intake, visit_number="V-200", branch="kol-behala", **same_person)
    other = await admit(intake, visit_number="V-100", branch="kol-behala")

    by_patient = await listed(intake, patient_ref=first["patient_ref"])
    assert {e["episode_id"] for e in by_patient} == {first["episode_id"], again["episode_id"]}
    by_visit = await listed(intake, visit_number="V-100")
    assert {e["episode_id"] for e in by_visit} == {first["episode_id"], other["episode_id"]}
    [one] = await listed(intake, visit_number="V-100", visit_authority="kol-behala")
    assert one["episode_id"] == other["episode_id"]
    assert (one["visit_authority"], one["visit_number"]) == ("kol-behala", "V-100")

    shown = (await intake.client.get(f"/episodes/{first['episode_id']}")).json()
    assert (shown["visit_authority"], shown["visit_number"]) == ("kol-salt-lake", "V-100")
    assert await listed(intake, patient_ref="pt_nobody") == []


async def test_a_branch_sees_only_its_own_episodes_of_a_patient(intake):
    same_person = {"mrn": "M-2", "mrn_authority": "SAATHI"}
    here = await admit(intake, visit_number="V-1", **same_person)
    elsewhere = await admit(intake, visit_number="V-2", branch="kol-behala", **same_person)
    clinician = bearer("clinician", "kol-salt-lake")

    mine = await listed(intake, clinician, patient_ref=here["patient_ref"])
    assert [e["episode_id"] for e in mine] == [here["episode_id"]]
    assert await listed(intake, clinician, visit_number="V-2") == []
    hidden = await intake.client.get(f"/episodes/{elsewhere['episode_id']}", headers=clinician)
    assert hidden.status_code == 404
