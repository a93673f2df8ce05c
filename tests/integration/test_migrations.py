"""Each service's Alembic migrations build exactly the schema its models describe."""

import asyncio
import os
import sqlite3
import subprocess
import sys

import pytest
from alembic import command
from sqlalchemy import text

from shared.contracts.registry import decode
from shared.db import make_engine
from shared.migrations import alembic_config


@pytest.mark.parametrize("service", ["intake", "matching", "sessions", "aftercare"])
async def test_migrations_match_the_models(service, dbs):
    config = alembic_config(service, await dbs.url(service))
    await asyncio.to_thread(command.upgrade, config, "head")
    await asyncio.to_thread(command.check, config)  # raises if autogenerate finds a difference


def test_migrate_command_prepares_an_empty_database(tmp_path):
    database = tmp_path / "aftercare.db"
    result = subprocess.run(
        [sys.executable, "-m", "aftercare", "migrate"],
        env={**os.environ, "AFTERCARE_DATABASE_URL": f"sqlite+aiosqlite:///{database}"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "aftercare: database migrated to head" in result.stdout
    tables = {
        row[0]
        for row in sqlite3.connect(database).execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
        )
    }
    assert {"aftercare_group", "aftercare_enrolment", "outbox", "inbox"} <= tables


async def test_upgrading_intake_keeps_existing_patients_and_visits(dbs):
    """0002 moves each MRN to the identifier table and keys visits by their admitting branch."""
    url = await dbs.url("intake")
    config = alembic_config("intake", url)
    await asyncio.to_thread(command.upgrade, config, "0001")
    engine = make_engine(url)
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO intake_patient (patient_ref, mrn, given_name, family_name, created_at)"
                " VALUES ('pt_old', 'MRN-OLD', 'Old', 'Record', '2026-01-01 00:00:00')"
            )
        )
        await connection.execute(
            text(
                "INSERT INTO intake_episode (episode_id, patient_ref, admitting_branch, "
                "visit_number, branch, ward, language, status, admitted_at, version, updated_at)"
                " VALUES ('ep_old', 'pt_old', 'kol-behala', 'V-OLD', 'kol-behala', 'w', 'bn',"
                " 'admitted', '2026-01-01 00:00:00', 1, '2026-01-01 00:00:00')"
            )
        )
    await asyncio.to_thread(command.upgrade, config, "head")
    async with engine.connect() as connection:
        identifiers = (
            await connection.execute(
                text("SELECT system, value, patient_ref FROM intake_patient_identifier")
            )
        ).all()
        visits = (
            await connection.execute(
                text("SELECT visit_authority, visit_number FROM intake_episode")
            )
        ).all()
    await engine.dispose()
    assert [tuple(row) for row in identifiers] == [("mrn", "MRN-OLD", "pt_old")]
    assert [tuple(row) for row in visits] == [("kol-behala", "V-OLD")]


async def test_upgrading_matching_announces_the_mentors_already_in_the_pool(dbs):
    """0004 stages one `matching.mentor.changed` per existing mentor, so sessions learns the
    pool once even though those mentors were registered before mentors were announced."""
    url = await dbs.url("matching")
    config = alembic_config("matching", url)
    await asyncio.to_thread(command.upgrade, config, "0003")
    engine = make_engine(url)
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO matching_mentor (mentor_id, display_name, lived_experience, capacity,"
                " active_mentees, certified_until, status, remote_ok, interests, version,"
                " updated_at) VALUES ('mn_old', 'Old Mentor', '[]', 3, 0, '2027-01-31', 'active',"
                " false, '[]', 5, '2026-01-01 00:00:00')"
            )
        )
        await connection.execute(
            text("INSERT INTO matching_mentor_language VALUES ('mn_old', 'bn')")
        )
        await connection.execute(
            text("INSERT INTO matching_mentor_branch VALUES ('mn_old', 'kol-behala')")
        )
    await asyncio.to_thread(command.upgrade, config, "head")
    async with engine.connect() as connection:
        staged = (await connection.execute(text("SELECT subject, payload FROM outbox"))).all()
    await engine.dispose()
    [(subject, payload)] = staged
    event = decode(subject, bytes(payload))
    assert subject == "matching.mentor.changed.v1"
    assert event.data.mentor_id == "mn_old" and event.data.version == 5
    assert event.data.languages == ["bn"] and event.data.branches == ["kol-behala"]
    assert event.data.certified_until.isoformat() == "2027-01-31"
    assert "Old Mentor" not in bytes(payload).decode()


async def _upgrade_with(dbs, service: str, before: str, rows: list[str]) -> list[tuple]:
    """Upgrade `service` to `before`, insert `rows`, upgrade to head; every stay's consent."""
    url = await dbs.url(service)
    config = alembic_config(service, url)
    await asyncio.to_thread(command.upgrade, config, before)
    engine = make_engine(url)
    async with engine.begin() as connection:
        for row in rows:
            await connection.execute(text(row))
    await asyncio.to_thread(command.upgrade, config, "head")
    async with engine.connect() as connection:
        found = await connection.execute(
            text(
                f"SELECT episode_id, patient_ref, status, version FROM {service}_stay_consent"
                " ORDER BY episode_id"
            )
        )
        stays = [tuple(row) for row in found]
    await engine.dispose()
    return stays


async def test_upgrading_keeps_each_patients_consent_on_each_of_their_stays(dbs):
    """Intake's 0005 and matching's 0006 copy a patient's consent to every stay they hold, at
    the same version, so nothing in force changes (and a patient without consent has none)."""
    episode = (
        "INSERT INTO intake_episode (episode_id, patient_ref, visit_authority, visit_number,"
        " branch, ward, language, status, admitted_at, version, updated_at) VALUES ('{e}', '{p}',"
        " 'kol-behala', 'V-{e}', 'kol-behala', 'w', 'bn', 'admitted', '2026-01-01 00:00:00', 1,"
        " '2026-01-01 00:00:00')"
    )
    intake = await _upgrade_with(
        dbs,
        "intake",
        "0004",
        [
            "INSERT INTO intake_patient (patient_ref, given_name, family_name, created_at,"
            f" updated_at) VALUES ('{p}', 'Old', 'Record', '2026-01-01 00:00:00',"
            " '2026-01-01 00:00:00')"
            for p in ("pt_a", "pt_b")
        ]
        + [
            episode.format(e=e, p=p)
            for e, p in (("ep_1", "pt_a"), ("ep_2", "pt_a"), ("ep_3", "pt_b"))
        ]
        + [
            "INSERT INTO intake_consent (patient_ref, status, text_version, text_language,"
            " recorded_by, recorded_at, version) VALUES ('pt_a', 'withdrawn', 'v1', 'bn', 'c',"
            " '2026-01-02 00:00:00', 3)"
        ],
    )
    matching = await _upgrade_with(
        dbs,
        "matching",
        "0005",
        [
            "INSERT INTO matching_episode (episode_id, patient_ref, branch, language, status,"
            f" version) VALUES ('{e}', '{p}', 'kol-behala', 'bn', 'admitted', 1)"
            for e, p in (("ep_1", "pt_a"), ("ep_2", "pt_a"), ("ep_3", "pt_b"))
        ]
        + [
            "INSERT INTO matching_consent (patient_ref, status, version)"
            " VALUES ('pt_a', 'given', 2)"
        ],
    )
    assert intake == [("ep_1", "pt_a", "withdrawn", 3), ("ep_2", "pt_a", "withdrawn", 3)]
    assert matching == [("ep_1", "pt_a", "given", 2), ("ep_2", "pt_a", "given", 2)]
