"""Transactional outbox: events are staged in the same transaction as the state they describe."""

import json
from datetime import datetime

from sqlalchemy import Column, Index, LargeBinary, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel

from shared.contracts.envelope import Event, utcnow
from shared.contracts.registry import encode
from shared.db import BEFORE_COMMIT
from shared.tracing import current_trace_headers

# Each published event carries its correlation id as a header too (tracing without parsing).
CORRELATION_HEADER = "Saathi-Correlation-Id"


class OutboxRecord(SQLModel, table=True):
    """An event waiting to be published (or published, kept briefly for inspection)."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_unpublished", "published_at", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(unique=True, max_length=36)
    subject: str = Field(max_length=200)
    payload: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    headers: str = Field(default="{}")
    created_at: datetime = Field(default_factory=utcnow)
    published_at: datetime | None = Field(default=None)


_STAGED = "saathi.outbox"


def stage(session: AsyncSession, *events: Event) -> None:
    """Add events to the outbox of the session's open transaction (`shared.db.transaction`).

    Rows are written with one multi-row INSERT just before the commit: an ORM insert per
    event costs more than everything else a consumer does with it.
    """
    trace_headers = current_trace_headers()
    rows = session.info.setdefault(_STAGED, [])
    for event in events:
        headers = {CORRELATION_HEADER: event.correlation_id, **trace_headers}
        rows.append(
            {
                "event_id": str(event.event_id),
                "subject": event.SUBJECT,
                "payload": encode(event),
                "headers": json.dumps(headers),
                "created_at": utcnow(),
                "published_at": None,
            }
        )
    session.info.setdefault(BEFORE_COMMIT, {})["outbox"] = _write_staged


async def _write_staged(session: AsyncSession) -> None:
    rows = session.info.pop(_STAGED, [])
    if rows:
        await session.execute(insert(OutboxRecord), rows)
