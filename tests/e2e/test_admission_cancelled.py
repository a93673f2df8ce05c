"""An admission cancelled by A11 (entered in error) undoes what followed from it, as a user sees
it through the APIs: the match ends "admission cancelled" and the mentor's place is free, the
introduction session and the inpatient group place are cancelled; after a discharge, the
aftercare enrolment, its follow-ups and its outpatient group place are undone too."""

from functools import partial

import httpx
import pytest

from e2e.flow import fetch_all, open_group, seed
from e2e.test_hl7_flow import consent
from helpers import factories
from helpers.hl7 import codes
from helpers.waiting import wait_until
from saathi_stack.hl7_samples import admission, cancel_admission, discharge

pytestmark = pytest.mark.e2e
BRANCH = "kol-salt-lake"


def _stay(n: int) -> dict[str, str]:
    return {"mrn": f"A11-M{n}", "visit": f"A11-V{n}", "branch": BRANCH, "ward": "ward-a"}


async def _admit(client: httpx.AsyncClient, stack, n: int) -> str:
    """An HL7 admission with consent recorded; the patient_ref."""
    a01 = admission(
        control_id=f"A11-A01-{n}",
        family="Testpatient",
        given=f"Marker{n}",
        language="bn",
        **_stay(n),
    )
    assert await codes(stack.config.mllp_port, a01) == ["AA"]
    return await consent(client, stack.url("intake"), f"A11-M{n}")


async def _one(client: httpx.AsyncClient, url: str, **params: str) -> dict:
    rows = await fetch_all(client, url, **params)
    return rows[0] if rows else {}


async def test_a11_ends_the_match_and_cancels_sessions_and_group_places(stack):
    matching, sessions = stack.url("matching"), stack.url("sessions")
    async with httpx.AsyncClient(timeout=10, headers=stack.auth_headers()) as client:
        await seed(client, stack, mentors_per_branch=1, capacity=5)
        inpatient = await open_group(
            client, stack, {**factories.group(BRANCH, f"{BRANCH}-m0"), "setting": "inpatient"}
        )
        patient_ref = await _admit(client, stack, 1)
        match = await wait_until(
            partial(_one, client, f"{matching}/matches", patient_ref=patient_ref),
            lambda row: row.get("status") == "active",
            timeout_s=60,
            what="the admission matched",
        )
        await wait_until(
            partial(fetch_all, client, f"{sessions}/sessions", patient_ref=patient_ref),
            lambda rows: [r["status"] for r in rows] == ["scheduled"],
            timeout_s=60,
            what="the introduction booked",
        )
        joined = await client.post(
            f"{sessions}/groups/{inpatient}/enrolments", json={"patient_ref": patient_ref}
        )
        assert joined.status_code == 201, joined.text

        a11 = cancel_admission(control_id="A11-A11-1", **_stay(1))
        assert await codes(stack.config.mllp_port, a11) == ["AA"]

        ended = await wait_until(
            partial(_one, client, f"{matching}/matches", patient_ref=patient_ref),
            lambda row: row.get("status") == "ended",
            timeout_s=60,
            what="the match ended",
        )
        assert ended["match_id"] == match["match_id"]
        assert ended["ended_reason"] == "admission cancelled"
        mentor = (await client.get(f"{matching}/mentors/{match['mentor_id']}")).json()
        assert mentor["active_mentees"] == 0
        waiting = await fetch_all(client, f"{matching}/waitlist")
        assert [w for w in waiting if w["patient_ref"] == patient_ref] == []
        await wait_until(
            partial(fetch_all, client, f"{sessions}/sessions", patient_ref=patient_ref),
            lambda rows: [r["status"] for r in rows] == ["cancelled"],
            timeout_s=60,
            what="the introduction cancelled",
        )
        place = await wait_until(
            partial(_one, client, f"{sessions}/groups/{inpatient}/enrolments", include_left="true"),
            lambda row: row.get("status") == "left",
            timeout_s=60,
            what="the inpatient group place ended",
        )
        assert place["left_reason"] == f"no longer admitted at {BRANCH}"
        offers = await client.get(f"{sessions}/patients/{patient_ref}/group-offers")
        assert offers.json() == []
        episodes = await fetch_all(client, f"{stack.url('intake')}/episodes", status="cancelled")
        assert [e["episode_id"] for e in episodes] == [match["episode_id"]]


async def test_a11_after_discharge_undoes_the_aftercare_enrolment(stack):
    aftercare, sessions = stack.url("aftercare"), stack.url("sessions")
    async with httpx.AsyncClient(timeout=10, headers=stack.auth_headers()) as client:
        await seed(client, stack, mentors_per_branch=1, capacity=5)  # and an outpatient group
        patient_ref = await _admit(client, stack, 2)
        await wait_until(
            partial(_one, client, f"{stack.url('matching')}/matches", patient_ref=patient_ref),
            lambda row: row.get("status") == "active",
            timeout_s=60,
            what="the admission matched",
        )
        a03 = discharge(control_id="A11-A03-2", **_stay(2))
        assert await codes(stack.config.mllp_port, a03) == ["AA"]
        enrolment = await wait_until(
            partial(_one, client, f"{aftercare}/enrolments", patient_ref=patient_ref),
            lambda row: row.get("status") == "enrolled",
            timeout_s=60,
            what="enrolled in aftercare on discharge",
        )
        episode_id = enrolment["episode_id"]
        await wait_until(
            partial(fetch_all, client, f"{aftercare}/follow-ups", episode_id=episode_id),
            lambda rows: len(rows) == 2,
            timeout_s=60,
            what="follow-ups scheduled",
        )
        [group] = await fetch_all(client, f"{sessions}/groups", branch=BRANCH)
        await wait_until(
            partial(_one, client, f"{sessions}/groups/{group['group_id']}/enrolments"),
            lambda row: row.get("status") == "enrolled",
            timeout_s=60,
            what="the outpatient group place",
        )

        a11 = cancel_admission(control_id="A11-A11-2", **_stay(2))
        assert await codes(stack.config.mllp_port, a11) == ["AA"]

        cancelled = await wait_until(
            partial(_one, client, f"{aftercare}/enrolments", patient_ref=patient_ref),
            lambda row: row.get("status") == "cancelled",
            timeout_s=60,
            what="the enrolment cancelled",
        )
        assert cancelled["enrolment_id"] == enrolment["enrolment_id"]
        assert cancelled["reason"] == "admission cancelled"
        follow_ups = await fetch_all(client, f"{aftercare}/follow-ups", episode_id=episode_id)
        assert {f["status"] for f in follow_ups} == {"cancelled"}
        tasks = await fetch_all(client, f"{aftercare}/tasks", branch=BRANCH)
        assert [t for t in tasks if t["episode_id"] == episode_id] == []
        place = await wait_until(
            partial(
                _one,
                client,
                f"{sessions}/groups/{group['group_id']}/enrolments",
                include_left="true",
            ),
            lambda row: row.get("status") == "left",
            timeout_s=60,
            what="the outpatient group place ended",
        )
        assert place["left_reason"] == "admission cancelled"
