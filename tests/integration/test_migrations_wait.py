"""`python -m <service> wait-for-migrations`: a Deployment's init container holds the service
back until the migration Job has brought its database to head (Argo CD / Flux mode)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from shared.migrations import at_head, upgrade_sync, wait_for_head


def _service(command: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "aftercare", command, *args]


def test_waits_until_another_process_migrates(tmp_path: Path) -> None:
    database = tmp_path / "aftercare.db"
    env = {**os.environ, "AFTERCARE_DATABASE_URL": f"sqlite+aiosqlite:///{database}"}
    waiting = subprocess.Popen(
        _service("wait-for-migrations", "--timeout", "120"),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        migrate = subprocess.run(
            _service("migrate"), env=env, capture_output=True, text=True, timeout=120
        )
        assert migrate.returncode == 0, migrate.stderr
        out, err = waiting.communicate(timeout=120)
    finally:
        waiting.kill()
    assert waiting.returncode == 0, err
    assert "aftercare: database is at migration head" in out


def test_gives_up_at_its_deadline_saying_why(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'matching.db'}"
    assert not at_head("matching", url)
    with pytest.raises(TimeoutError, match=r"not at migration head.*not applied yet"):
        wait_for_head("matching", url, timeout_s=0.5, interval_s=0.1)
    upgrade_sync("matching", url)
    assert at_head("matching", url)


def test_the_command_fails_when_the_database_stays_behind(tmp_path: Path) -> None:
    env = {**os.environ, "INTAKE_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'i.db'}"}
    result = subprocess.run(
        [sys.executable, "-m", "intake", "wait-for-migrations", "--timeout", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "intake: database not at migration head" in result.stderr
