"""NATS users on a real nats-server: a service publishes only its own events and reads only
through its own durable consumers; nobody connects without a user; services cannot change
streams; and a service runs with exactly these permissions."""

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import nats
import pytest
from nats.errors import NoRespondersError
from nats.errors import TimeoutError as NatsTimeout
from nats.js.api import StreamConfig

from aftercare.app import create_app as create_aftercare
from aftercare.config import AftercareSettings
from helpers.apps import FAST, running
from helpers.backends import Databases
from helpers.waiting import wait_until
from intake.app import create_app as create_intake
from intake.config import IntakeSettings
from matching.app import create_app as create_matching
from matching.config import MatchingSettings
from notify.app import create_app as create_notify
from notify.config import NotifySettings
from saathi_stack.nats_provision import provision
from saathi_stack.nats_server import EmbeddedNats
from saathi_stack.nats_users import NatsUsers
from saathi_stack.ports import free_port
from sessions.app import create_app as create_sessions
from sessions.config import SessionsSettings
from shared.nats_permissions import CONSUMERS
from shared.streams import STREAMS

APPS = {
    "intake": (create_intake, IntakeSettings),
    "matching": (create_matching, MatchingSettings),
    "sessions": (create_sessions, SessionsSettings),
    "aftercare": (create_aftercare, AftercareSettings),
    "notify": (create_notify, NotifySettings),
}
REFUSED = (NatsTimeout, NoRespondersError, asyncio.TimeoutError, nats.errors.Error)


@pytest.fixture
def secured(tmp_path: Path) -> Iterator[tuple[str, NatsUsers]]:
    users = NatsUsers.ensure(tmp_path / "auth")
    server = EmbeddedNats(free_port(), tmp_path / "store", config_file=users.config_path)
    server.start()
    try:
        yield server.url, users
    finally:
        server.stop()


async def connect_as(url: str, users: NatsUsers, user: str, errors: list[str] | None = None):
    async def note(error: Exception) -> None:
        if errors is not None:
            errors.append(str(error))

    return await nats.connect(
        url,
        user=user,
        password=users.passwords[user],
        error_cb=note,
        max_reconnect_attempts=1,
        allow_reconnect=False,
    )


async def stored(url: str, users: NatsUsers, stream: str) -> int:
    ops = await nats.connect(users.ops_url(url))
    try:
        return (await ops.jetstream().stream_info(stream)).state.messages
    finally:
        await ops.close()


def test_the_permissions_name_every_consumer_each_service_runs():
    for name, (create_app, settings_cls) in APPS.items():
        runtime = create_app(settings_cls(**FAST)).state.runtime
        assert tuple(sorted(spec.name for spec in runtime._consumer_specs)) == tuple(
            sorted(CONSUMERS[name])
        ), name


async def test_a_service_publishes_its_own_events_and_cannot_forge_anothers(secured):
    url, users = secured
    await provision(users.ops_url(url))
    errors: list[str] = []
    sessions = await connect_as(url, users, "sessions", errors)
    try:
        js = sessions.jetstream()
        own = await js.publish("sessions.session.scheduled.v1", b"{}", timeout=2)
        with pytest.raises(REFUSED):
            await js.publish("intake.episode.admitted.v1", b"{}", timeout=1)
        with pytest.raises(REFUSED):
            await js.add_stream(StreamConfig(name="SNEAKY", subjects=["sneaky.>"]))
        await sessions.subscribe("intake.>")
        await sessions.flush()
        await asyncio.sleep(0)  # let the server's refusal arrive before asserting on it
    finally:
        await sessions.close()
    assert own.stream == "SAATHI_SESSIONS"
    assert await stored(url, users, "SAATHI_INTAKE") == 0
    assert any("permissions violation" in error.lower() for error in errors)


async def test_nobody_connects_without_a_user_or_with_a_wrong_password(secured):
    url, _ = secured
    for attempt in (
        {},
        {"user": "sessions", "password": "not-the-password"},
    ):
        with pytest.raises(Exception, match=r"(?i)authorization|no servers"):
            await nats.connect(url, max_reconnect_attempts=1, allow_reconnect=False, **attempt)


async def test_a_service_runs_with_exactly_its_permissions(secured, dbs: Databases):
    url, users = secured
    await provision(users.ops_url(url))
    settings = MatchingSettings(
        database_url=await dbs.url("matching"),
        nats_url=url,
        nats_user="matching",
        nats_password=users.passwords["matching"],
        manage_streams=False,
        **FAST,
    )
    async with running(create_matching, settings) as service:
        ready = await service.client.get("/readyz")
    assert ready.status_code == 200, ready.text


async def test_notify_runs_with_its_permissions_watching_dead_letters(secured, dbs: Databases):
    url, users = secured
    await provision(users.ops_url(url))
    settings = NotifySettings(
        database_url=await dbs.url("notify"),
        nats_url=url,
        nats_user="notify",
        nats_password=users.passwords["notify"],
        manage_streams=False,
        **FAST,
    )
    async with running(create_notify, settings) as service:
        ready = await service.client.get("/readyz")
    assert ready.status_code == 200, ready.text
    assert "listener:notify-dead-letters" in ready.text
    notify = await connect_as(url, users, "notify")
    try:
        js = notify.jetstream()
        own = await js.publish("notify.alert.acknowledged.v1", b"{}", timeout=2)
        with pytest.raises(REFUSED):
            await js.publish("sessions.crisis.acknowledged.v1", b"{}", timeout=1)
    finally:
        await notify.close()
    assert own.stream == "SAATHI_NOTIFY"


async def test_the_console_hears_events_and_dead_letters_and_can_publish_nothing(secured):
    url, users = secured
    await provision(users.ops_url(url))
    errors: list[str] = []
    console = await connect_as(url, users, "console", errors)
    heard: list[str] = []

    async def note(message) -> None:
        heard.append(message.subject)

    try:
        for prefix in ("intake", "deadletter"):
            await console.subscribe(f"{prefix}.>", cb=note)
        await console.flush()
        intake = await connect_as(url, users, "intake")
        await intake.jetstream().publish("intake.episode.admitted.v1", b"{}", timeout=2)
        await intake.close()
        ops = await nats.connect(users.ops_url(url))
        await ops.publish("deadletter.matching-intake-events", b"{}")
        await ops.close()
        with pytest.raises(REFUSED):
            await console.jetstream().publish("intake.episode.admitted.v1", b"{}", timeout=1)
        await wait_until(lambda: asyncio.sleep(0, heard), lambda got: len(got) >= 2, timeout_s=5)
    finally:
        await console.close()
    assert sorted(heard) == ["deadletter.matching-intake-events", "intake.episode.admitted.v1"]
    assert await stored(url, users, "SAATHI_INTAKE") == 1  # the console forged nothing


def _provision_from_env(url: str, user: str, password: str) -> subprocess.CompletedProcess[str]:
    """`saathi nats provision` as the chart's stream Job runs it: the ops user and password
    from the environment (a Kubernetes Secret), none of it on the command line."""
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


async def test_ops_provision_with_credentials_from_the_environment(secured):
    url, users = secured
    result = _provision_from_env(url, "ops", users.passwords["ops"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "streams provisioned" in result.stdout
    ops = await nats.connect(users.ops_url(url))
    try:
        names = {info.config.name for info in await ops.jetstream().streams_info()}
    finally:
        await ops.close()
    assert {spec.name for spec in STREAMS} <= names


def test_provisioning_with_a_wrong_password_is_refused_and_not_echoed(secured):
    url, _users = secured
    result = _provision_from_env(url, "ops", "not-the-password")
    assert result.returncode == 2
    assert "could not provision the streams" in result.stdout
    assert "not-the-password" not in result.stdout + result.stderr
