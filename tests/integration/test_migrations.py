"""Each service's Alembic migrations build exactly the schema its models describe."""

import asyncio
import json
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


async def test_upgrading_sessions_keeps_each_group_with_its_one_focus_for_everyone(dbs):
    """0009 gives groups set up before it their focus as their only one, no audience, and
    keeps them at their branch (not online, not network-wide)."""
    url = await dbs.url("sessions")
    config = alembic_config("sessions", url)
    await asyncio.to_thread(command.upgrade, config, "0008")
    engine = make_engine(url)
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO sessions_group (group_id, title, branch, setting, focus, language,"
                " capacity, enrolled, weekday, start_time, minutes, starts_on, facilitator_ids,"
                " status, created_at, version) VALUES ('gr_old', 'Old circle', 'kol-behala',"
                " 'inpatient', 'anxiety', 'bn', 8, 0, 2, '16:00:00', 60, '2026-01-07', '[\"mn\"]',"
                " 'active', '2026-01-01 00:00:00', 1)"
            )
        )
    await asyncio.to_thread(command.upgrade, config, "head")
    async with engine.connect() as connection:
        row = (
            await connection.execute(
                text(
                    "SELECT focuses, audience_gender, audience_age_bands, online, network_wide"
                    " FROM sessions_group"
                )
            )
        ).one()
    await engine.dispose()
    focuses, gender, age_bands, online, network_wide = row
    lists = [json.loads(v) if isinstance(v, str) else v for v in (focuses, age_bands)]
    assert lists == [["anxiety"], []]
    assert gender is None and not online and not network_wide
