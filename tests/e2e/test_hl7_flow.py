"""HL7 over MLLP drives the whole platform: admission to match, a move to another branch
changes the mentor, a merge re-keys the match, and discharge enrols in aftercare."""

import httpx
import pytest

from e2e.flow import fetch_all, matches, open_group
from helpers import factories
from helpers.hl7 import codes
from helpers.waiting import wait_until
from saathi_stack.hl7_samples import admission, discharge

pytestmark = pytest.mark.e2e

HIS_A02 = (
    "MSH|^~\\&|HIS|SAATHI-HIS|SAATHI|SAATHI-INTAKE|20260318100000||ADT^A02^ADT_A02|{cid}|P|2.5\r"
    "PID|1||{mrn}^^^SAATHI^MR\r"
    "PV1|1|I|W9^^^BHL||||||||||||||||{visit}^^^SAATHI-HIS"
)
HIS_A01 = (
    "MSH|^~\\&|HIS|SAATHI-HIS|SAATHI|SAATHI-INTAKE|20260318090000||ADT^A01^ADT_A01|{cid}|P|2.5\r"
    "PID|1||{mrn}^^^SAATHI^MR||Mover^Test|||||||||||ben\r"
    "PV1|1|I|W1^^^SLK||||||||||||||||{visit}^^^SAATHI-HIS"
)
A40 = (
    "MSH|^~\\&|SIM-EHR|SALTLAKE|SAATHI|SAATHI-INTAKE|20260321090000||ADT^A40^ADT_A39|{cid}|P|2.5\r"
    "PID|1||{keep}^^^SAATHI^MR\rMRG|{drop}^^^SAATHI^MR"
)


async def consent(client: httpx.AsyncClient, intake: str, mrn: str) -> str:
    key = {"authority": "SAATHI", "type": "MR", "value": mrn}
    found = await client.get(f"{intake}/patients", params=key)
    assert found.status_code == 200, found.text
    ref = found.json()["patient_ref"]
    given = await client.put(f"{intake}/patients/{ref}/consent", json=factories.consent())
    assert given.status_code == 200, given.text
    return str(ref)


async def test_hl7_messages_drive_matching_and_aftercare(stack):
    port = stack.config.mllp_port
    intake = stack.url("intake")
    async with httpx.AsyncClient(timeout=10, headers=stack.auth_headers()) as client:
        for branch in ("kol-salt-lake", "kol-behala"):
            mentor = factories.mentor(mentor_id=f"{branch}-hl7", branches=[branch], capacity=5)
            assert (await client.post(f"{stack.url('matching')}/mentors", json=mentor)).is_success
        await open_group(client, stack, factories.group("kol-salt-lake", "kol-salt-lake-hl7"))

        def a01(n: int) -> bytes:
            return admission(
                control_id=f"E2E-A01-{n}",
                mrn=f"E2E-M{n}",
                visit=f"E2E-V{n}",
                branch="kol-salt-lake",
                ward="ward-a",
                family="Testpatient",
                given=f"Marker{n}",
                language="bn",
            )

        assert await codes(port, a01(1)) == ["AA"]
        assert await codes(port, a01(2)) == ["AA"]  # the same person, registered twice
        survivor = await consent(client, intake, "E2E-M1")
        duplicate = await consent(client, intake, "E2E-M2")
        made = await wait_until(
            lambda: matches(client, stack),
            lambda rows: len([m for m in rows if m["status"] == "active"]) == 2,
            timeout_s=60,
            what="both admissions matched",
        )
        assert {m["mentor_id"] for m in made} == {"kol-salt-lake-hl7"}

        merge = A40.format(cid="E2E-A40", keep="E2E-M1", drop="E2E-M2").encode()
        assert await codes(port, merge) == ["AA"]
        await wait_until(
            lambda: matches(client, stack),
            lambda rows: {m["patient_ref"] for m in rows} == {survivor},
            timeout_s=60,
            what="matching re-keyed the merged patient's match",
        )
        assert duplicate != survivor
        await wait_until(
            lambda: fetch_all(client, f"{stack.url('sessions')}/sessions"),
            lambda rows: len(rows) == 2 and {r["patient_ref"] for r in rows} == {survivor},
            timeout_s=60,
            what="sessions re-keyed the merged patient's introduction session",
        )

        mover = HIS_A01.format(cid="E2E-HIS-1", mrn="E2E-M3", visit="HV-E2E-3").encode()
        assert await codes(port, mover) == ["AA"]
        await consent(client, intake, "E2E-M3")
        await wait_until(
            lambda: matches(client, stack),
            lambda rows: len([m for m in rows if m["status"] == "active"]) == 3,
            timeout_s=60,
            what="the third admission matched",
        )
        moved = HIS_A02.format(cid="E2E-HIS-2", mrn="E2E-M3", visit="HV-E2E-3").encode()
        assert await codes(port, moved) == ["AA"]
        await wait_until(
            lambda: matches(client, stack),
            lambda rows: any(
                m["mentor_id"] == "kol-behala-hl7" and m["status"] == "active" for m in rows
            ),
            timeout_s=60,
            what="a Behala mentor after the move to Behala",
        )

        leave = discharge(
            control_id="E2E-A03-1",
            mrn="E2E-M1",
            visit="E2E-V1",
            branch="kol-salt-lake",
            ward="ward-a",
        )
        assert await codes(port, leave) == ["AA"]
        # The merged duplicate's visit is the same person's, still open: aftercare enrols an
        # outpatient only once no stay of theirs is open.
        other_visit = discharge(
            control_id="E2E-A03-2",
            mrn="E2E-M1",
            visit="E2E-V2",
            branch="kol-salt-lake",
            ward="ward-a",
        )
        assert await codes(port, other_visit) == ["AA"]
        enrolments = await wait_until(
            lambda: fetch_all(client, f"{stack.url('aftercare')}/enrolments"),
            lambda rows: len(rows) == 1,
            timeout_s=60,
            what="enrolment after the HL7 discharge",
        )
        assert enrolments[0]["patient_ref"] == survivor
