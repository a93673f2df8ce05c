"""Stream provisioning by ops: services run with users that may not create or change streams,
so the topology is declared once, as ops, before they start (and after any change to it)."""

import asyncio
import ssl
import threading

import nats

from shared.streams import ensure_streams


async def provision(
    url: str,
    replicas: int = 1,
    tls: ssl.SSLContext | None = None,
    user: str | None = None,
    password: str | None = None,
) -> None:
    """Create or update every stream of the topology as `user` (else the user in `url`)."""
    credentials = {"user": user, "password": password or ""} if user else {}
    connection = await nats.connect(
        url, connect_timeout=5, max_reconnect_attempts=1, tls=tls, **credentials
    )
    try:
        await ensure_streams(connection.jetstream(), replicas)
    finally:
        await connection.close()


def provision_blocking(url: str, replicas: int = 1) -> None:
    """`provision` from synchronous code, even inside a running event loop (its own thread)."""
    failure: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(provision(url, replicas))
        except BaseException as error:  # reported in the caller's thread
            failure.append(error)

    worker = threading.Thread(target=run, name="nats-provision")
    worker.start()
    worker.join()
    if failure:
        raise failure[0]
