"""Fixtures of the image tests: what Kubernetes would give each service's container (its
environment and mounts) against this test's NATS and fresh databases."""

import json
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from testcontainers.core.config import testcontainers_config

from helpers.auth import TEST_ISSUER
from helpers.backends import databases
from helpers.image import GRACE_S, NON_ROOT_USER, run_to_end
from saathi_stack.ports import free_ports

JWKS_IN_CONTAINER = "/run/saathi/jwks.json"
# sessions refuses to start without someone to hear crises at branches without a roster
SERVICE_ENV = {
    "sessions": {
        "SESSIONS_FALLBACK_DUTY_CHAIN": json.dumps(
            [{"person_id": "network-on-call", "role": "clinician"}]
        )
    }
}


@dataclass(frozen=True)
class Deployment:
    """One service's container settings: environment, mounts and its ports."""

    service: str
    env: dict[str, str]
    mounts: dict[Path, tuple[str, str]]
    http_port: int
    mllp_port: int

    @property
    def base_url(self) -> str:
        """Where its HTTP API answers (host network)."""
        return f"http://127.0.0.1:{self.http_port}"


Deploy = Callable[[str], Awaitable[Deployment]]


@pytest.fixture(autouse=True)
def no_reaper() -> None:
    """testcontainers' reaper is an image from a registry, which these machines cannot reach;
    every container here is removed by the test that started it."""
    testcontainers_config.ryuk_disabled = True


@pytest.fixture
async def deploy(tmp_path: Path, nats_url: str) -> AsyncIterator[Deploy]:
    """Make a service's deployment: a fresh database (SQLite in a folder the image's user may
    write, or PostgreSQL when SAATHI_TEST_DATABASE_URL is set), this test's NATS with streams
    provisioned by ops (from the image), and the test issuer's JWKS mounted read-only."""
    data = tmp_path / "data"
    data.mkdir()
    os.chown(data, int(NON_ROOT_USER), int(NON_ROOT_USER))
    await run_to_end(["saathi", "nats", "provision", "--nats-url", nats_url])
    async with databases(data) as dbs:

        async def make(service: str) -> Deployment:
            http_port, mllp_port = free_ports(2)
            prefix = service.upper()
            env = {
                f"{prefix}_DATABASE_URL": await dbs.url(service),
                f"{prefix}_NATS_URL": nats_url,
                f"{prefix}_HTTP_PORT": str(http_port),
                f"{prefix}_MANAGE_STREAMS": "false",  # as in production: ops provision them
                f"{prefix}_MIGRATE_ON_START": "false",  # the migration Job runs before
                f"{prefix}_AUTH_JWKS_PATH": JWKS_IN_CONTAINER,
                f"{prefix}_SHUTDOWN_GRACE_S": str(GRACE_S),
                **({"INTAKE_MLLP_PORT": str(mllp_port)} if service == "intake" else {}),
                **SERVICE_ENV.get(service, {}),
            }
            mounts = {data: (str(data), "rw"), TEST_ISSUER.jwks_path: (JWKS_IN_CONTAINER, "ro")}
            return Deployment(service, env, mounts, http_port, mllp_port)

        yield make
