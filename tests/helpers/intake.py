"""Intake test helpers: what it published, and its MLLP port."""

from helpers.streams import StoredMessage, stream_messages
from helpers.waiting import wait_until
from shared.runtime import ServiceRuntime


async def published(url: str, count: int) -> list[StoredMessage]:
    """Intake's events once at least `count` are in the stream."""
    return await wait_until(
        lambda: stream_messages(url, "SAATHI_INTAKE"),
        lambda m: len(m) >= count,
        what=f"{count} intake events",
    )


def mllp_port(runtime: ServiceRuntime) -> int:
    """The port intake's MLLP listener is bound to."""
    [listener] = runtime.listeners
    return int(listener.port)  # type: ignore[attr-defined]
