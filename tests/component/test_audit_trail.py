"""The audit trail on a real database: reads, writes and refusals are recorded with who, role,
branch, purpose (and the MHCA s.23(2) basis of a disclosure), outcome and trace id; the privacy
officer reads it; nobody can change it; and when it cannot be written, nothing is done or shown."""

import pytest
from sqlalchemy import text

from helpers import factories
from helpers.apps import RunningService
from helpers.auth import bearer

BRANCH = "kol-salt-lake"
COORDINATOR = bearer("coordinator", BRANCH, "coord-7")
PRIVACY = bearer("privacy_officer", None, "privacy-1")


async def admitted(intake: RunningService) -> dict:
    response = await intake.client.post("/admissions", json=factories.admission())
    episode: dict = response.json()["episode"]
    return episode


async def trail(intake: RunningService, patient_ref: str) -> list[dict]:
    response = await intake.client.get(
        "/audit", params={"patient_ref": patient_ref}, headers=PRIVACY
    )
    assert response.status_code == 200, response.text
    rows: list[dict] = response.json()
    return rows


async def test_reads_writes_and_refusals_are_in_the_trail(intake):
    episode = await admitted(intake)
    ref = episode["patient_ref"]
    url = f"/episodes/{episode['episode_id']}"

    read = await intake.client.get(url, headers=COORDINATOR)
    written = await intake.client.put(
        f"/patients/{ref}/consent", json=factories.consent(), headers=COORDINATOR
    )
    elsewhere = await intake.client.get(url, headers=bearer("coordinator", "kol-behala", "c-9"))
    emergency = await intake.client.get(
        url,
        headers={**bearer("clinician", BRANCH, "dr-ray"), "X-Saathi-Purpose": "emergency"},
    )

    assert (read.status_code, written.status_code) == (200, 200)
    assert (elsewhere.status_code, emergency.status_code) == (404, 200)
    rows = [r for r in await trail(intake, ref) if r["subject"] != "dev-coordinator"]
    seen = [(r["subject"], r["action"], r["operation"], r["outcome"]) for r in rows]
    assert seen == [
        ("coord-7", "read", "GET /episodes/{episode_id}", "ok"),
        ("coord-7", "write", "PUT /patients/{patient_ref}/consent", "ok"),
        ("dr-ray", "read", "GET /episodes/{episode_id}", "ok"),
    ]
    first, _, clinician = rows
    assert first["role"] == "coordinator" and first["branch"] == BRANCH
    assert first["purpose"] == "care_coordination" and first["legal_basis"] is None
    assert first["record"] == url and len(first["trace_id"]) == 32
    assert clinician["purpose"] == "emergency"
    assert clinician["legal_basis"] == "MHCA 2017 s.23(2)(e)"
    refused = (await intake.client.get("/audit", params={"subject": "c-9"}, headers=PRIVACY)).json()
    assert [(r["action"], r["outcome"], r["record"]) for r in refused] == [("refused", "404", url)]
    invalid = await intake.client.put(
        f"/patients/{ref}/consent", json={"status": "maybe"}, headers=COORDINATOR
    )
    assert invalid.status_code == 422
    last = (await trail(intake, ref))[-1]
    assert (last["action"], last["outcome"]) == ("refused", "422")


async def test_only_the_privacy_officer_reads_the_trail_and_an_unknown_purpose_is_refused(intake):
    episode = await admitted(intake)
    as_coordinator = await intake.client.get("/audit", headers=COORDINATOR)
    odd_purpose = await intake.client.get(
        f"/episodes/{episode['episode_id']}",
        headers={**COORDINATOR, "X-Saathi-Purpose": "curiosity"},
    )
    assert as_coordinator.status_code == 403
    assert odd_purpose.status_code == 400 and "unknown purpose" in odd_purpose.text


async def test_nobody_can_change_or_remove_the_trail(intake):
    episode = await admitted(intake)
    await intake.client.get(f"/episodes/{episode['episode_id']}", headers=COORDINATOR)
    engine = intake.runtime.engine
    for statement in (
        "UPDATE intake_audit SET subject = 'someone else'",
        "DELETE FROM intake_audit",
    ):
        with pytest.raises(Exception, match="append-only"):
            async with engine.begin() as connection:
                await connection.execute(text(statement))
    assert len(await trail(intake, episode["patient_ref"])) >= 1


async def test_when_the_trail_cannot_be_written_nothing_is_done_or_shown(intake):
    episode = await admitted(intake)
    ref = episode["patient_ref"]
    engine = intake.runtime.engine
    async with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            await connection.execute(
                text(
                    "CREATE FUNCTION audit_down() RETURNS trigger LANGUAGE plpgsql AS "
                    "$$ BEGIN RAISE EXCEPTION 'audit store down'; END $$"
                )
            )
            await connection.execute(
                text(
                    "CREATE TRIGGER audit_down BEFORE INSERT ON intake_audit "
                    "FOR EACH ROW EXECUTE FUNCTION audit_down()"
                )
            )
        else:
            await connection.execute(
                text(
                    "CREATE TRIGGER audit_down BEFORE INSERT ON intake_audit "
                    "BEGIN SELECT RAISE(ABORT, 'audit store down'); END"
                )
            )

    read = await intake.client.get(f"/patients/{ref}", headers=COORDINATOR)
    write = await intake.client.put(
        f"/patients/{ref}/consent", json=factories.consent(), headers=COORDINATOR
    )

    assert read.status_code == 503 and "MRN" not in read.text and ref not in read.text
    assert write.status_code == 503 and "audit trail" in write.json()["detail"]
    async with engine.connect() as connection:
        consent = await connection.scalar(
            text("SELECT count(*) FROM intake_stay_consent WHERE patient_ref = :ref"), {"ref": ref}
        )
    assert consent == 0


async def test_a_long_subject_in_a_token_is_recorded_cut_not_refused(intake):
    episode = await admitted(intake)
    long_subject = "someone-with-a-very-long-identity-" * 8
    read = await intake.client.get(
        f"/episodes/{episode['episode_id']}", headers=bearer("coordinator", BRANCH, long_subject)
    )
    assert read.status_code == 200, read.text
    [row] = [r for r in await trail(intake, episode["patient_ref"]) if r["action"] == "read"]
    assert row["subject"] == long_subject[:120]


async def test_a_refusal_naming_a_nonsense_patient_is_recorded_not_failed(intake):
    nonsense = "x" * 300
    refused = await intake.client.get(f"/patients/{nonsense}", headers=COORDINATOR)
    assert refused.status_code == 404
    [row] = (
        await intake.client.get("/audit", params={"subject": "coord-7"}, headers=PRIVACY)
    ).json()
    assert (row["action"], row["outcome"], row["patient_ref"]) == ("refused", "404", "x" * 40)


async def test_a_decline_recorded_for_a_stay_is_in_the_patients_trail(intake):
    episode = await admitted(intake)
    url = f"/episodes/{episode['episode_id']}/consent"

    declined = await intake.client.put(url, json=factories.consent("declined"), headers=COORDINATOR)
    shown = await intake.client.get(url, headers=COORDINATOR)

    assert (declined.status_code, shown.json()["status"]) == (200, "declined")
    assert shown.json()["recorded_by"] == "coord-test"
    rows = [r for r in await trail(intake, episode["patient_ref"]) if r["subject"] == "coord-7"]
    assert [(r["action"], r["operation"], r["record"]) for r in rows] == [
        ("write", "PUT /episodes/{episode_id}/consent", url),
        ("read", "GET /episodes/{episode_id}/consent", url),
    ]
