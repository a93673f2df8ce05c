"""Groups for an audience (a gender, age bands) with several focuses, and network-wide online
groups open to every branch: offers and places respect both, and sessions stores nothing of
the patient's gender or age."""

import pytest

from helpers.apps import FakeClock
from helpers.auth import bearer
from helpers.backends import Databases
from helpers.groups import BRANCH, admitted_and_matched, announce, group_request, mentor
from helpers.sessions import sessions_running

OTHER = "how-liluah"
WOMEN_26_50 = {"audience_gender": "female", "audience_age_bands": ["26-35", "36-50"]}


@pytest.fixture
async def sessions(clean_nats, dbs: Databases):
    async with sessions_running(clean_nats, dbs, FakeClock(), group_check_interval_s=3600) as s:
        yield s


async def offered(sessions, patient_ref: str, **stated: str) -> list[str]:
    response = await sessions.client.get(f"/patients/{patient_ref}/group-offers", params=stated)
    assert response.status_code == 200, response.text
    return [offer["group"]["group_id"] for offer in response.json()]


async def test_a_group_for_women_of_some_ages_with_several_focuses(sessions, clean_nats):
    client = sessions.client
    await announce(sessions, clean_nats, mentor("mn_ok"))
    body = group_request(["mn_ok"], focuses=["depression", "anxiety"], **WOMEN_26_50)
    del body["focus"]
    created = await client.post("/groups", json=body)
    assert created.status_code == 201, created.text
    group = created.json()
    assert group["focus"] == "depression" and group["focuses"] == ["depression", "anxiety"]
    by_focus = (await client.get("/groups", params={"focus": "anxiety"})).json()
    assert [g["group_id"] for g in by_focus] == [group["group_id"]]
    [patient] = await admitted_and_matched(sessions, clean_nats, 1)
    ref = patient.patient_ref

    assert await offered(sessions, ref) == []  # nothing stated: no group for an audience
    assert await offered(sessions, ref, gender="male", age_band="26-35") == []
    assert await offered(sessions, ref, gender="female", age_band="18-25") == []
    fits = await offered(sessions, ref, gender="female", age_band="36-50")
    assert fits == [group["group_id"]]
    enrol = f"/groups/{group['group_id']}/enrolments"
    unstated = await client.post(enrol, json={"patient_ref": ref})
    man = await client.post(enrol, json={"patient_ref": ref, "gender": "male"})
    young = await client.post(
        enrol, json={"patient_ref": ref, "gender": "female", "age_band": "18-25"}
    )
    placed = await client.post(
        enrol, json={"patient_ref": ref, "gender": "female", "age_band": "36-50"}
    )
    assert unstated.status_code == 409 and "state the patient's gender" in unstated.json()["detail"]
    assert man.status_code == 409 and "female patients only" in man.json()["detail"]
    assert young.status_code == 409 and "for ages 26-35, 36-50" in young.json()["detail"]
    assert placed.status_code == 201, placed.text
    # What was stated of the patient is checked, not kept.
    assert "gender" not in placed.json() and "age_band" not in placed.json()


async def test_a_network_wide_online_group_takes_patients_of_every_branch(sessions, clean_nats):
    client = sessions.client
    await announce(sessions, clean_nats, mentor("mn_here"), mentor("mn_far", branches=["howrah"]))
    local = (await client.post("/groups", json=group_request(["mn_here"]))).json()
    far_for_branch = await client.post("/groups", json=group_request(["mn_far"], online=True))
    network = await client.post(
        "/groups", json=group_request(["mn_far"], online=True, network_wide=True)
    )
    assert far_for_branch.status_code == 422  # a branch's group: facilitators serve it
    assert network.status_code == 201, network.text
    network_id = network.json()["group_id"]
    [here] = await admitted_and_matched(sessions, clean_nats, 1)
    [there] = await admitted_and_matched(sessions, clean_nats, 1, branch=OTHER)

    assert await offered(sessions, there.patient_ref) == [network_id]  # not the local group
    assert set(await offered(sessions, here.patient_ref)) == {local["group_id"], network_id}
    for patient in (here, there):
        enrolled = await client.post(
            f"/groups/{network_id}/enrolments", json={"patient_ref": patient.patient_ref}
        )
        assert enrolled.status_code == 201, enrolled.text
    elsewhere = await client.post(
        f"/groups/{local['group_id']}/enrolments", json={"patient_ref": there.patient_ref}
    )
    assert elsewhere.status_code == 409 and f"not admitted at {BRANCH}" in elsewhere.text

    # A coordinator of the other branch sees the group, and on its roster only their patients.
    theirs = bearer("coordinator", OTHER)
    listed = (await client.get("/groups", headers=theirs)).json()
    assert [g["group_id"] for g in listed] == [network_id]
    assert (await client.get(f"/groups/{network_id}", headers=theirs)).status_code == 200
    roster = (await client.get(f"/groups/{network_id}/enrolments", headers=theirs)).json()
    assert [place["patient_ref"] for place in roster] == [there.patient_ref]
    [first, *_] = (await client.get(f"/groups/{network_id}/meetings", headers=theirs)).json()
    meeting = f"/group-meetings/{first['meeting_id']}"
    assert (await client.get(meeting, headers=theirs)).status_code == 404  # everyone's attendance
    facilitator = bearer("mentor", subject="mn_far")
    assert (await client.get(meeting, headers=facilitator)).status_code == 200
    not_theirs = await client.post(
        f"/groups/{network_id}/enrolments/{here.patient_ref}/leave",
        json={"reason": "x"},
        headers=theirs,
    )
    assert not_theirs.status_code == 404
    left = await client.post(
        f"/groups/{network_id}/enrolments/{there.patient_ref}/leave",
        json={"reason": "discharged home"},
        headers=theirs,
    )
    assert left.status_code == 200, left.text


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"network_wide": True}, "meets online"),
        ({"setting": "outpatient", **WOMEN_26_50}, "outpatient groups are filled by aftercare"),
        ({"setting": "outpatient", "online": True, "network_wide": True}, "cannot be network"),
        ({"focuses": ["anxiety", "depression"]}, "focus, when given with focuses, is the first"),
        ({"focuses": ["anxiety", "anxiety"]}, "focuses lists a value twice"),
    ],
)
async def test_groups_that_cannot_be_set_up_are_refused_with_the_reason(
    sessions, clean_nats, overrides, reason
):
    await announce(sessions, clean_nats, mentor("mn_ok"))
    response = await sessions.client.post("/groups", json=group_request(["mn_ok"], **overrides))
    assert response.status_code == 422
    assert reason in response.text
    assert (await sessions.client.get("/groups")).json() == []
