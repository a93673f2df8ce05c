"""`saathi nats provision` as the chart's stream Job runs it: the ops user and password from
the environment (a Kubernetes Secret), none of it on the command line."""

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import nats
import pytest

from saathi_stack.nats_server import EmbeddedNats
from saathi_stack.nats_users import NatsUsers
from saathi_stack.ports import free_port
from shared.streams import STREAMS


@pytest.fixture
def secured_nats(tmp_path: Path) -> Iterator[tuple[str, NatsUsers]]:
    users = NatsUsers.ensure(tmp_path / "auth")
    server = EmbeddedNats(free_port(), tmp_path / "store", config_file=users.config_path)
    server.start()
    try:
        yield server.url, users
    finally:
        server.stop()


def _provision(url: str, user: str, password: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "SAATHI_NATS_URL": url,
        "SAATHI_NATS_USER": user,
        "SAATHI_NATS_PASSWORD": password,
    }
    return subprocess.run(
        [sys.executable, "-m", "saathi_stack.saathi_cli", "nats", "provision", "--replicas", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


async def test_provisions_as_the_ops_user_from_the_environment(secured_nats) -> None:
    url, users = secured_nats
    result = _provision(url, "ops", users.passwords["ops"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "streams provisioned" in result.stdout
    ops = await nats.connect(users.ops_url(url))
    try:
        names = {info.config.name for info in await ops.jetstream().streams_info()}
    finally:
        await ops.close()
    assert {spec.name for spec in STREAMS} <= names


def test_a_wrong_password_is_refused_and_not_echoed(secured_nats) -> None:
    url, _users = secured_nats
    result = _provision(url, "ops", "not-the-password")
    assert result.returncode == 2
    assert "could not provision the streams" in result.stdout
    assert "not-the-password" not in result.stdout + result.stderr
