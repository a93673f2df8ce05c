"""The whole platform as separate processes on real NATS and real databases."""

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from helpers.backends import Databases
from saathi_stack.nats_server import NatsServerError
from saathi_stack.ports import free_ports
from saathi_stack.processes import ServiceStartError
from saathi_stack.stack import SERVICES, LocalStack, PortBusyError, StackConfig

FAST_ENV = {
    "RETRY_DELAY_S": "0.1",
    "ACK_WAIT_S": "3",
    "RELAY_INTERVAL_S": "0.1",
    "LOG_JSON": "false",
}


def _config(
    data_dir: Path, urls: dict[str, str], env: Mapping[str, str] | None = None
) -> StackConfig:
    nats_port, mllp_port, *service_ports = free_ports(2 + len(SERVICES))
    return StackConfig(
        data_dir=data_dir,
        nats_port=nats_port,
        mllp_port=mllp_port,
        ports=dict(zip(SERVICES, service_ports, strict=True)),
        database_url=urls.__getitem__,
        extra_env={
            **{f"{n.upper()}_{key}": value for n in SERVICES for key, value in FAST_ENV.items()},
            # Crises escalate after 3 s here, checked five times a second.
            "SESSIONS_CRISIS_ACK_DEADLINE_S": "3",
            "SESSIONS_CRISIS_CHECK_INTERVAL_S": "0.2",
            # Follow-up windows of 15 and 25 s instead of 7 and 30 days (long enough for a
            # restart to come first), checked five times a second.
            "AFTERCARE_FOLLOW_UP_WINDOWS_S": '{"day_7": 15, "day_30": 25}',
            "AFTERCARE_CHECK_INTERVAL_S": "0.2",
            **(env or {}),
        },
    )


@asynccontextmanager
async def running_stack(
    tmp_path: Path, dbs: Databases, env: Mapping[str, str] | None = None
) -> AsyncIterator[LocalStack]:
    """The platform started on fresh databases (with `env` added), stopped afterwards."""
    urls = {name: await dbs.url(name) for name in SERVICES}
    for attempt in range(3):
        # A port found free can be taken by an outgoing connection before a server binds it.
        running = LocalStack(_config(tmp_path / "stack", urls, env))
        try:
            running.start()
            break
        except (PortBusyError, ServiceStartError, NatsServerError):
            running.stop()
            if attempt == 2:
                raise
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
async def stack(tmp_path: Path, dbs: Databases) -> AsyncIterator[LocalStack]:
    async with running_stack(tmp_path, dbs) as running:
        yield running
