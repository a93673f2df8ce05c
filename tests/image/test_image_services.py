"""Every service is a command of the one image: each migrates, becomes ready against NATS and
its database, keeps its API behind a token, and drains on SIGTERM; the console serves its
bundled assets; the image carries no build tools and says what it is."""

import secrets

import httpx
import pytest

from helpers.auth import bearer
from helpers.image import (
    GRACE_S,
    IMAGE,
    NON_ROOT_USER,
    image_attributes,
    output,
    platform_container,
    run_to_end,
    started,
    stop_gracefully,
    wait_http,
)

pytestmark = pytest.mark.image

# One read each service answers for a coordinator of the whole network.
AUTHENTICATED_READ = {
    "matching": "/matches",
    "sessions": "/groups",
    "aftercare": "/enrolments",
    "notify": "/notifications",
}


@pytest.mark.parametrize("service", sorted(AUTHENTICATED_READ))
async def test_each_service_migrates_serves_and_drains_from_the_image(deploy, service):
    deployment = await deploy(service)
    said = await run_to_end(
        ["python", "-m", service, "migrate"], deployment.env, mounts=deployment.mounts
    )
    assert f"{service}: database migrated to head" in said
    serve = platform_container(
        ["python", "-m", service, "serve"], deployment.env, deployment.mounts
    )
    with started(serve) as container:
        ready = (await wait_http(container, f"{deployment.base_url}/readyz")).json()
        assert ready["checks"]["broker"]["ok"] and ready["checks"]["database"]["ok"]
        consumers = {name: check for name, check in ready["checks"].items() if "consumer:" in name}
        assert consumers, f"{service} runs no durable consumer: {ready}"
        assert all(check["ok"] for check in consumers.values()), consumers
        path = AUTHENTICATED_READ[service]
        async with httpx.AsyncClient(base_url=deployment.base_url, timeout=5.0) as client:
            assert (await client.get(path)).status_code == 401
            assert (await client.get(path, headers=bearer())).status_code == 200
        code, _ = await stop_gracefully(container, GRACE_S + 2)
        logs = output(container)
    assert code == 0, logs
    assert f'"message": "{service} stopped"' in logs


async def test_the_console_serves_its_bundled_assets_from_the_image(deploy):
    console = await deploy("console")
    env = {
        **console.env,
        "CONSOLE_SESSION_SECRET": secrets.token_urlsafe(32),
        "CONSOLE_LIVE_EVENTS": "false",
    }
    with started(platform_container(["python", "-m", "console", "serve"], env)) as container:
        await wait_http(container, f"{console.base_url}/healthz")
        await wait_http(container, f"{console.base_url}/static/vendor/htmx.min.js")
        code, _ = await stop_gracefully(container, GRACE_S + 2)
        logs = output(container)
    assert code == 0, logs


def test_the_image_runs_as_a_numeric_non_root_user_and_stops_on_sigterm():
    config = image_attributes()["Config"]
    assert config["User"].split(":")[0] == NON_ROOT_USER
    assert config["StopSignal"] == "SIGTERM"
    labels = config["Labels"]
    assert labels["org.opencontainers.image.version"] == IMAGE.rsplit(":", 1)[1]
    assert labels["org.opencontainers.image.title"] == "saathi"
    for key in ("description", "revision", "source", "licenses"):
        assert f"org.opencontainers.image.{key}" in labels


async def test_the_image_carries_no_build_tools_and_lists_its_commands():
    listing = await run_to_end([])
    assert "python -m intake serve" in listing and "saathi nats provision" in listing
    found = await run_to_end(
        [
            "sh",
            "-c",
            "for tool in uv pip pip3 gcc cc make; do command -v $tool; done; "
            "python -c 'import pip' 2>/dev/null && echo pip module; true",
        ]
    )
    assert found.strip() == "", f"build tools in the image: {found}"
    flags = "import sys; print(sys.flags.dont_write_bytecode, sys.flags.safe_path)"
    assert (await run_to_end(["python", "-c", flags])).split() == ["1", "True"]
