"""Idempotent consumer: a consumer records each event id it applied, in the effect's transaction."""

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col

from shared.contracts.envelope import utcnow


class InboxRecord(SQLModel, table=True):
    """One event applied by one consumer; the primary key is the real duplicate guard."""

    __tablename__ = "inbox"

    consumer: str = Field(primary_key=True, max_length=100)
    event_id: str = Field(primary_key=True, max_length=36)
    subject: str = Field(max_length=200)
    applied_at: datetime = Field(default_factory=utcnow)


async def claim(
    session: AsyncSession, consumer: str, events: Iterable[tuple[str, str]]
) -> set[str]:
    """Record (event_id, subject) pairs not seen before and return their ids.

    A concurrent replica claiming the same id makes the commit fail on the primary key,
    so the whole unit of work rolls back and is retried: the effect happens once.
    """
    pending = dict(events)
    if not pending:
        return set()
    seen = await session.scalars(
        select(col(InboxRecord.event_id)).where(
            col(InboxRecord.consumer) == consumer,
            col(InboxRecord.event_id).in_(list(pending)),
        )
    )
    fresh = set(pending) - set(seen)
    if fresh:
        now = utcnow()
        await session.execute(
            insert(InboxRecord),
            [
                {
                    "consumer": consumer,
                    "event_id": event_id,
                    "subject": pending[event_id],
                    "applied_at": now,
                }
                for event_id in fresh
            ],
        )
    return fresh
