"""The built image runs intake as Kubernetes would: ops provision the streams and migrate from
the image, then intake serves (read-only root, non-root user), takes an HL7 admission over MLLP,
announces it on NATS, answers an authenticated API call, and drains on `docker stop`."""

import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import nats
import pytest

from helpers.auth import TEST_ISSUER, bearer
from helpers.backends import databases
from helpers.hl7 import corpus, send
from helpers.image import (
    NON_ROOT_USER,
    exec_as_image_user,
    output,
    platform_container,
    run_to_end,
    started,
    stop_gracefully,
    wait_http,
)
from helpers.intake import published
from intake.hl7.client import ack_code
from saathi_stack.ports import free_ports
from shared.streams import STREAMS

pytestmark = pytest.mark.image

JWKS_IN_CONTAINER = "/run/saathi/jwks.json"
GRACE_S = 8  # INTAKE_SHUTDOWN_GRACE_S; docker stop allows two seconds more before SIGKILL


@dataclass(frozen=True)
class Deployment:
    """What a Kubernetes deployment of intake would be given: environment and mounts."""

    env: dict[str, str]
    mounts: dict[Path, tuple[str, str]]
    http_port: int
    mllp_port: int


@pytest.fixture
async def deployment(tmp_path: Path, nats_url: str) -> AsyncIterator[Deployment]:
    """Intake's settings against this test's NATS and a fresh database (SQLite in a folder the
    image's user may write, or PostgreSQL when SAATHI_TEST_DATABASE_URL is set)."""
    data = tmp_path / "data"
    data.mkdir()
    os.chown(data, int(NON_ROOT_USER), int(NON_ROOT_USER))
    http_port, mllp_port = free_ports(2)
    async with databases(data) as dbs:
        env = {
            "INTAKE_DATABASE_URL": await dbs.url("intake"),
            "INTAKE_NATS_URL": nats_url,
            "INTAKE_HTTP_PORT": str(http_port),
            "INTAKE_MLLP_PORT": str(mllp_port),
            "INTAKE_MANAGE_STREAMS": "false",  # as in production: ops provision the streams
            "INTAKE_MIGRATE_ON_START": "false",  # the migration Job ran before
            "INTAKE_AUTH_JWKS_PATH": JWKS_IN_CONTAINER,
            "INTAKE_SHUTDOWN_GRACE_S": str(GRACE_S),
        }
        mounts = {data: (str(data), "rw"), TEST_ISSUER.jwks_path: (JWKS_IN_CONTAINER, "ro")}
        yield Deployment(env, mounts, http_port, mllp_port)


async def stream_names(url: str) -> set[str]:
    """The JetStream streams on the server."""
    connection = await nats.connect(url)
    try:
        return {info.config.name for info in await connection.jetstream().streams_info()}
    finally:
        await connection.close()


async def test_ops_provision_the_streams_and_migrate_from_the_image(deployment, nats_url):
    said = await run_to_end(["saathi", "nats", "provision", "--nats-url", nats_url])
    assert "streams provisioned" in said
    assert {spec.name for spec in STREAMS} <= await stream_names(nats_url)

    said = await run_to_end(
        ["python", "-m", "intake", "migrate"], deployment.env, mounts=deployment.mounts
    )
    assert "intake: database migrated to head" in said


async def test_intake_from_the_image_serves_mllp_and_api_then_drains_on_sigterm(
    deployment, nats_url
):
    await run_to_end(["saathi", "nats", "provision", "--nats-url", nats_url])
    await run_to_end(["python", "-m", "intake", "migrate"], deployment.env, mounts=deployment.mounts)
    base = f"http://127.0.0.1:{deployment.http_port}"
    serve = platform_container(["python", "-m", "intake", "serve"], deployment.env, deployment.mounts)
    with started(serve) as container:
        await wait_http(container, f"{base}/healthz")
        ready = (await wait_http(container, f"{base}/readyz")).json()
        assert ready["checks"]["broker"] == {"ok": True, "detail": "connected"}

        [ack] = await send(deployment.mllp_port, corpus("a01_v231_crlf_zseg.hl7"))
        assert ack_code(ack) == "AA" and "MSA|AA|SLK000101" in ack
        [event] = await published(nats_url, 1)
        assert event.subject.startswith("intake.")

        async with httpx.AsyncClient(base_url=base, timeout=5.0) as client:
            assert (await client.get("/episodes")).status_code == 401
            answer = await client.get("/episodes", headers=bearer())
        assert answer.status_code == 200, answer.text
        [episode] = answer.json()
        assert (episode["branch"], episode["status"]) == ("kol-salt-lake", "admitted")

        code, said = exec_as_image_user(
            container, "id -u; touch /tmp/written && echo /tmp is writable; touch /written"
        )
        assert said.splitlines()[:2] == [NON_ROOT_USER, "/tmp is writable"]
        assert code != 0 and "Read-only file system" in said

        code, took_s = await stop_gracefully(container, GRACE_S + 2)
        logs = output(container)
    assert code == 0, logs
    assert took_s < GRACE_S + 2, f"took {took_s:.1f}s: SIGKILL, not a drain"
    assert '"message": "intake stopped"' in logs
