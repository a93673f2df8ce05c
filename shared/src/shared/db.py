"""Async database engine and sessions for SQLite (embedded) and PostgreSQL."""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from sqlalchemy import CursorResult, Update, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from shared.errors import NotFound
from shared.sqlite_inline import inline_creator

RowT = TypeVar("RowT")

SessionMaker = async_sessionmaker[AsyncSession]

BEFORE_COMMIT = "saathi.before_commit"  # session.info key: name -> async hook(session)
AFTER_COMMIT = "saathi.after_commit"  # session.info key: list of callables run once committed


def is_sqlite(url: str) -> bool:
    """True when the URL names a SQLite database."""
    return make_url(url).get_backend_name() == "sqlite"


def make_engine(url: str) -> AsyncEngine:
    """Build an engine; SQLite gets WAL, a busy timeout and explicit transactions.

    Statement parameters are hidden from errors and logs: they hold patient data in intake.
    """
    if not is_sqlite(url):
        return create_async_engine(
            url, pool_size=10, max_overflow=10, pool_pre_ping=True, hide_parameters=True
        )
    database = make_url(url).database or ":memory:"
    if database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(url, async_creator=inline_creator(database), hide_parameters=True)
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy issue BEGIN itself, so it can be BEGIN IMMEDIATE (below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(sync_engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")

    return engine


def make_sessionmaker(engine: AsyncEngine) -> SessionMaker:
    """Session factory that keeps objects usable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)


async def changed_a_row(session: AsyncSession, statement: Update) -> bool:
    """Run a conditional UPDATE; True when it matched a row (the condition held)."""
    result = await session.execute(statement)
    assert isinstance(result, CursorResult)
    return bool(result.rowcount)


async def get_or_not_found(
    session: AsyncSession, model: type[RowT], key: Any, what: str, *, for_update: bool = False
) -> RowT:
    """The row with this primary key, or NotFound naming `what` (e.g. "crisis 'cr_1'")."""
    row = await session.get(model, key, with_for_update=for_update)
    if row is None:
        raise NotFound(f"no {what}")
    return row


async def ping(engine: AsyncEngine) -> None:
    """Raise if the database cannot answer a trivial query."""
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))


def after_commit(session: AsyncSession, committed: Callable[[], None]) -> None:
    """Run `committed` once the session's transaction (`transaction`) has committed; never if
    it rolls back (e.g. a metric of something that must really have happened)."""
    session.info.setdefault(AFTER_COMMIT, []).append(committed)


_write_locks: WeakKeyDictionary[AsyncEngine, asyncio.Lock] = WeakKeyDictionary()


def _write_lock(sessionmaker: SessionMaker) -> asyncio.Lock | None:
    """SQLite has one writer at a time. Queueing this process's writers on an asyncio lock
    avoids SQLite's busy handler, which sleeps in steps of up to 100 ms instead of waking the
    next writer, and avoids "database is locked" when a reading transaction starts to write."""
    engine = sessionmaker.kw.get("bind")
    if not isinstance(engine, AsyncEngine) or engine.dialect.name != "sqlite":
        return None
    return _write_locks.setdefault(engine, asyncio.Lock())


@asynccontextmanager
async def transaction(sessionmaker: SessionMaker) -> AsyncIterator[AsyncSession]:
    """One unit of work: commit on success, roll back on error (writers queue on SQLite);
    what was noted with `after_commit` runs once the commit succeeded."""
    lock = _write_lock(sessionmaker)
    async with lock or contextlib.nullcontext():
        async with sessionmaker() as session:
            async with session.begin():
                yield session
                for hook in session.info.pop(BEFORE_COMMIT, {}).values():
                    await hook(session)
            for committed in session.info.pop(AFTER_COMMIT, []):
                committed()
