"""Each service's Alembic migrations build exactly the schema its models describe."""

import asyncio
import json
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import text

from shared.contracts.registry import decode
from shared.db import make_engine
from shared.migrations import alembic_config


@pytest.mark.parametrize("service", ["intake", "matching", "sessions", "aftercare", "notify"])
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
                text("SELECT authority, type, value, patient_ref FROM intake_patient_identifier")
            )
        ).all()
        visits = (
            await connection.execute(
                text("SELECT visit_authority, visit_number FROM intake_episode")
            )
        ).all()
    await engine.dispose()
    assert [tuple(row) for row in identifiers] == [("KOL-BEHALA", "MR", "MRN-OLD", "pt_old")]
    assert [tuple(row) for row in visits] == [("kol-behala", "V-OLD")]


async def _insert(connection, table: str, rows: list[dict]) -> None:
    for row in rows:
        columns = ", ".join(row)
        values = ", ".join(f":{name}" for name in row)
        await connection.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({values})"), row)


async def test_upgrading_intake_rekeys_identifiers_and_never_merges_two_patients(dbs, caplog):
    """0005 keys identifiers by (authority, type, value): an MRN takes the branch of the
    patient's first episode, an ABHA number its 14 digits; when two patients collide the older
    keeps the identifier and the migration log says so."""
    url = await dbs.url("intake")
    config = alembic_config("intake", url)
    await asyncio.to_thread(command.upgrade, config, "0004")
    engine = make_engine(url)
    async with engine.begin() as connection:
        await _insert(
            connection,
            "intake_patient",
            [
                {
                    "patient_ref": ref,
                    "given_name": "G",
                    "family_name": "F",
                    "created_at": at,
                    "updated_at": at,
                }
                for ref, at in (
                    ("pt_old", datetime(2026, 1, 1, tzinfo=UTC)),
                    ("pt_new", datetime(2026, 2, 1, tzinfo=UTC)),
                )
            ],
        )
        await _insert(
            connection,
            "intake_episode",
            [
                {
                    "episode_id": f"ep_{n}",
                    "patient_ref": "pt_old",
                    "visit_authority": "X",
                    "visit_number": f"V{n}",
                    "branch": branch,
                    "ward": "w",
                    "language": "bn",
                    "status": "discharged",
                    "admitted_at": at,
                    "version": 1,
                    "updated_at": at,
                }
                for n, branch, at in (
                    (1, "kol-park-street", datetime(2026, 3, 1, tzinfo=UTC)),
                    (2, "kol-behala", datetime(2026, 1, 5, tzinfo=UTC)),
                )
            ],
        )
        await _insert(
            connection,
            "intake_patient_identifier",
            [
                {"system": system, "value": value, "patient_ref": ref}
                for system, value, ref in (
                    ("mrn", "M-1", "pt_old"),
                    ("mrn", "M-2", "pt_new"),
                    ("abha", "91-4443-4293-4402", "pt_new"),
                    ("abha", "91444342934402", "pt_old"),
                    ("abha", "91 4443 4293 4402", "pt_old"),
                    ("abha", "Rina@ABDM", "pt_old"),
                    ("abha", "12-34", "pt_new"),
                    ("citylab:pi", "X9", "pt_new"),
                    ("-:-", "Y1", "pt_new"),
                    ("https://ids.example.org/patients", "Z1", "pt_new"),
                )
            ],
        )
    with caplog.at_level("WARNING"):
        await asyncio.to_thread(command.upgrade, config, "head")
    async with engine.connect() as connection:
        rows = await connection.execute(
            text("SELECT authority, type, value, patient_ref FROM intake_patient_identifier")
        )
        identifiers = {tuple(row) for row in rows}
    await engine.dispose()
    assert identifiers == {
        ("KOL-BEHALA", "MR", "M-1", "pt_old"),  # the branch of the first episode
        ("LEGACY", "MR", "M-2", "pt_new"),  # no episode
        ("ABDM", "ABHA", "91444342934402", "pt_old"),  # the older patient keeps it
        ("ABDM", "ABHA-ADDRESS", "rina@abdm", "pt_old"),
        ("LEGACY", "ABHA-INVALID", "12-34", "pt_new"),
        ("CITYLAB", "PI", "X9", "pt_new"),
        ("LEGACY", "MR", "Y1", "pt_new"),
        ("https://ids.example.org/patients", "MR", "Z1", "pt_new"),
    }
    [report] = [r.getMessage() for r in caplog.records if "pt_new" in r.getMessage()]
    assert "pt_old" in report and "A40" in report and "4402" not in report

    await asyncio.to_thread(command.downgrade, config, "0004")
    async with engine.connect() as connection:
        rows = await connection.execute(text("SELECT system, value FROM intake_patient_identifier"))
        downgraded = {tuple(row) for row in rows}
    await engine.dispose()
    assert {("mrn", "M-1"), ("abha", "91444342934402"), ("citylab:pi", "X9")} <= downgraded


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
    """Intake's 0007 and matching's 0009 copy a patient's consent to every stay they hold, at
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
        "0006",
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
        "0008",
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


async def test_upgrading_matching_keeps_nominated_alumni_and_renames_standard_risk(dbs):
    """0006 keeps a nominated alumnus's patient_ref apart from a coordinator's link; 0007
    turns the former `standard` risk into `low` and leaves `high` as it was."""
    url = await dbs.url("matching")
    config = alembic_config("matching", url)
    await asyncio.to_thread(command.upgrade, config, "0005")
    engine = make_engine(url)
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO matching_mentor (mentor_id, display_name, lived_experience, capacity,"
                " active_mentees, status, remote_ok, interests, former_patient_ref,"
                " nomination_version, version, updated_at) VALUES ('mn-nm_1', 'Alumnus', '[]',"
                " 0, 0, 'trainee', false, '[]', 'pt_alumnus', 1, 1, '2026-01-01 00:00:00')"
            )
        )
        for episode_id, level in (("ep_std", "standard"), ("ep_high", "high")):
            await connection.execute(
                text(
                    "INSERT INTO matching_episode_risk (episode_id, level, assessed_by,"
                    f" assessed_at, version) VALUES ('{episode_id}', '{level}', 'dr-1',"
                    " '2026-01-01 00:00:00', 1)"
                )
            )
    await asyncio.to_thread(command.upgrade, config, "head")
    async with engine.connect() as connection:
        mentor = (
            await connection.execute(
                text("SELECT former_patient_ref, nominated_patient_ref FROM matching_mentor")
            )
        ).one()
        rows = await connection.execute(text("SELECT episode_id, level FROM matching_episode_risk"))
        levels = {episode_id: level for episode_id, level in rows}
    await engine.dispose()
    assert tuple(mentor) == ("pt_alumnus", "pt_alumnus")
    assert levels == {"ep_std": "low", "ep_high": "high"}


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


async def test_upgrading_sessions_turns_each_duty_chain_into_one_shift_at_all_hours(dbs):
    """0011 keeps a branch's duty chain as its roster's one shift, at all hours, in the branch
    zone sessions used before (Asia/Kolkata), and downgrading gives the chain back."""
    url = await dbs.url("sessions")
    config = alembic_config("sessions", url)
    await asyncio.to_thread(command.upgrade, config, "0010")
    chain = [{"person_id": "dr-sen", "role": "clinician"}]
    engine = make_engine(url)
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO sessions_duty_roster (branch, chain, updated_at, version)"
                " VALUES ('kol-behala', :chain, '2026-01-01 00:00:00', 3)"
            ),
            {"chain": json.dumps(chain)},
        )
    await asyncio.to_thread(command.upgrade, config, "head")
    async with engine.connect() as connection:
        query = "SELECT time_zone, shifts, version FROM sessions_duty_roster"
        zone, shifts, version = (await connection.execute(text(query))).one()
    await asyncio.to_thread(command.downgrade, config, "0010")
    async with engine.connect() as connection:
        query = "SELECT chain FROM sessions_duty_roster"
        [back] = (await connection.execute(text(query))).one()
    await engine.dispose()
    shifts = json.loads(shifts) if isinstance(shifts, str) else shifts
    assert zone == "Asia/Kolkata" and version == 3
    assert shifts == [
        {
            "name": "all hours",
            "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
            "starts": "00:00",
            "ends": "00:00",
            "chain": chain,
        }
    ]
    assert (json.loads(back) if isinstance(back, str) else back) == chain
