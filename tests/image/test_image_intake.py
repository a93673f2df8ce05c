"""The built image runs intake as Kubernetes would: ops provision the streams and migrate from
the image, then intake serves (read-only root, non-root user), takes an HL7 admission over MLLP,
announces it on NATS, answers an authenticated API call, and drains on `docker stop`."""

import httpx
import nats
import pytest

from helpers.auth import bearer
from helpers.hl7 import corpus, send
from helpers.image import (
    GRACE_S,
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
from shared.streams import STREAMS

pytestmark = pytest.mark.image


async def stream_names(url: str) -> set[str]:
    """The JetStream streams on the server."""
    connection = await nats.connect(url)
    try:
        return {info.config.name for info in await connection.jetstream().streams_info()}
    finally:
        await connection.close()


async def test_ops_provision_the_streams_from_the_image(deploy, nats_url):
    # `deploy` ran `saathi nats provision` from the image, as the chart's Job does
    await deploy("intake")
    assert {spec.name for spec in STREAMS} <= await stream_names(nats_url)


async def test_intake_from_the_image_serves_mllp_and_api_then_drains_on_sigterm(deploy, nats_url):
    intake = await deploy("intake")
    said = await run_to_end(["python", "-m", "intake", "migrate"], intake.env, mounts=intake.mounts)
    assert "intake: database migrated to head" in said
    serve = platform_container(["python", "-m", "intake", "serve"], intake.env, intake.mounts)
    with started(serve) as container:
        await wait_http(container, f"{intake.base_url}/healthz")
        ready = (await wait_http(container, f"{intake.base_url}/readyz")).json()
        assert ready["checks"]["broker"] == {"ok": True, "detail": "connected"}

        [ack] = await send(intake.mllp_port, corpus("a01_v231_crlf_zseg.hl7"))
        assert ack_code(ack) == "AA" and "MSA|AA|SLK000101" in ack
        [event] = await published(nats_url, 1)
        assert event.subject.startswith("intake.")

        async with httpx.AsyncClient(base_url=intake.base_url, timeout=5.0) as client:
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
