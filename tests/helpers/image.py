"""The platform's image (`make image`) run in Docker as Kubernetes runs it: host network (the
only network on these machines), read-only root file system, a tmpfs /tmp, the image's own
non-root user, and nothing pulled from a registry."""

import asyncio
import os
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import docker
import httpx
from docker.errors import ImageNotFound
from testcontainers.core.container import DockerContainer

from helpers.waiting import wait_until

IMAGE = os.environ.get("SAATHI_IMAGE", "saathi:0.1.0")
NON_ROOT_USER = "10001"
# Services get <SERVICE>_SHUTDOWN_GRACE_S=GRACE_S; stops allow two seconds more before SIGKILL.
GRACE_S = 8


def image_attributes(image: str = IMAGE) -> dict:
    """The image's inspect document, or a failure saying how to build it."""
    try:
        return dict(docker.from_env().images.get(image).attrs)
    except ImageNotFound:
        raise AssertionError(f"no image {image}: build it with `make image`") from None


def platform_container(
    command: list[str],
    env: Mapping[str, str] = {},
    mounts: Mapping[Path, tuple[str, str]] = {},
    image: str = IMAGE,
) -> DockerContainer:
    """A container of the image running `command`, hardened as in Kubernetes; `mounts` maps a
    host path to (path in the container, "ro" or "rw")."""
    container = DockerContainer(image).with_command(command).with_tmpfs_mount("/tmp")
    container.with_kwargs(network_mode="host", read_only=True)
    for key, value in env.items():
        container.with_env(key, value)
    for host_path, (path, mode) in mounts.items():
        container.with_volume_mapping(str(host_path), path, mode)
    return container


def output(container: DockerContainer) -> str:
    """Everything the container wrote to stdout and stderr so far."""
    stdout, stderr = container.get_logs()
    return (stdout + stderr).decode("utf-8", "replace")


async def exit_code(container: DockerContainer, timeout_s: float = 60.0) -> int:
    """Wait for the container's command to end; its exit code."""
    wrapped = container.get_wrapped_container()
    result = await asyncio.to_thread(wrapped.wait, timeout=timeout_s)
    return int(result["StatusCode"])


async def run_to_end(command: list[str], env: Mapping[str, str] = {}, **options: object) -> str:
    """Run a one-off command of the image (a Job in Kubernetes); its output, once it exited 0."""
    with started(platform_container(command, env, **options)) as container:  # type: ignore[arg-type]
        code = await exit_code(container)
        text = output(container)
    assert code == 0, f"{' '.join(command)} exited {code}:\n{text}"
    return text


@contextmanager
def started(container: DockerContainer) -> Iterator[DockerContainer]:
    """The container, started, and removed afterwards however the test ended."""
    container.start()
    try:
        yield container
    finally:
        container.stop()


async def wait_http(
    container: DockerContainer, url: str, timeout_s: float = 60.0
) -> httpx.Response:
    """The first 200 answer from `url`; fails early with the logs if the container exits."""

    async def probe() -> httpx.Response | None:
        container.get_wrapped_container().reload()
        if container.get_wrapped_container().status == "exited":
            raise AssertionError(
                f"the container exited before {url} answered:\n{output(container)}"
            )
        try:
            async with httpx.AsyncClient(timeout=2.0) as client:
                return await client.get(url)
        except httpx.TransportError:
            return None

    response = await wait_until(
        probe,
        lambda answer: answer is not None and answer.status_code == 200,
        timeout_s=timeout_s,
        interval_s=0.2,
        what=f"200 from {url}",
    )
    assert response is not None
    return response


async def stop_gracefully(container: DockerContainer, grace_s: float) -> tuple[int, float]:
    """`docker stop` (the image's STOPSIGNAL, then SIGKILL after `grace_s`): exit code and the
    seconds it took."""
    wrapped = container.get_wrapped_container()
    began = time.monotonic()
    await asyncio.to_thread(wrapped.stop, timeout=int(grace_s))
    code = await exit_code(container, grace_s)
    return code, time.monotonic() - began


def exec_as_image_user(container: DockerContainer, script: str) -> tuple[int, str]:
    """Run a shell script inside the running container as its own user: exit code, output."""
    result = container.get_wrapped_container().exec_run(["sh", "-c", script])
    return int(result.exit_code), result.output.decode("utf-8", "replace")
