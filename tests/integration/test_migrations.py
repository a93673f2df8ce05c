"""Each service's Alembic migrations build exactly the schema its models describe."""

import asyncio
import os
import sqlite3
import subprocess
import sys

import pytest
from alembic import command

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
