"""The databases a benchmark run uses: SQLite files, or one PostgreSQL database per service
that the bench creates before the run and drops after it."""

import contextlib
import os
import secrets
from collections.abc import AsyncIterator, Callable

import asyncpg
from sqlalchemy.engine import make_url

from saathi_stack.stack import SERVICES

DEFAULT_POSTGRES_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
UrlForService = Callable[[str], str] | None  # None: SQLite files in the stack's folder


def postgres_template(server_url: str) -> str:
    """A URL template (`{service}`) for fresh bench databases on the server of `server_url`,
    unless SAATHI_DATABASE_URL_TEMPLATE names the databases."""
    given = os.environ.get("SAATHI_DATABASE_URL_TEMPLATE")
    if given:
        return given
    name = f"saathi_bench_{secrets.token_hex(3)}_{{service}}"
    url = make_url(server_url).set(drivername="postgresql+asyncpg", database="DBNAME")
    return url.render_as_string(hide_password=False).replace("DBNAME", name)


def _admin_dsn(template: str) -> tuple[str, list[str]]:
    """asyncpg DSN of the server's `postgres` database, and the names of the bench databases."""
    names = [make_url(template.format(service=s)).database or "" for s in SERVICES]
    admin = make_url(template.format(service="x")).set(drivername="postgresql", database="postgres")
    return admin.render_as_string(hide_password=False), names


@contextlib.asynccontextmanager
async def database_urls(database: str, server_url: str) -> AsyncIterator[UrlForService]:
    """Service name → database URL for one run of the stack phases (dropped afterwards)."""
    if database == "sqlite":
        yield None
        return
    template = postgres_template(server_url)
    dsn, names = _admin_dsn(template)
    connection = await asyncpg.connect(dsn)
    try:
        for name in names:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await connection.execute(f'CREATE DATABASE "{name}"')
        yield lambda service: template.format(service=service)
    finally:
        for name in names:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.close()
