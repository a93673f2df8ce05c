"""Replaying events through a consumer's own transaction path (`ReliableConsumer._apply`)
without a broker, and comparing the outcome of two replays: the differential harness that
shows batching changes nothing.

Use: `replay(spec, sessions, events, sizes)` applies `events` in batches of the given sizes
(one event per transaction with `sizes=[1]`); `snapshot(sessions, tables)` reads the tables
back without generated ids and timestamps, and `outgoing(sessions)` the staged events.
"""

import itertools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import SQLModel, col

from shared.consumer import ConsumerSpec, ReliableConsumer
from shared.contracts.envelope import Event
from shared.contracts.registry import encode
from shared.db import SessionMaker
from shared.outbox import OutboxRecord

# Columns that differ between two faithful replays: generated ids (clock readings are dropped
# wherever they appear, `_is_clock`).
VOLATILE = frozenset({"id", "event_id", "match_id", "entry_id"})


def _is_clock(value: object) -> bool:
    """A time of day read from the clock (a datetime, or one in ISO form); dates are kept."""
    if isinstance(value, datetime):
        return True
    if not isinstance(value, str) or len(value) < 19 or value[10:11] != "T":
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


@dataclass
class FakeMsg:
    """The part of a JetStream message the consumer's apply path reads."""

    subject: str
    data: bytes
    headers: dict[str, str] = field(default_factory=dict)
    acked: bool = False

    async def ack(self) -> None:
        """Acknowledge (recorded, nothing sent)."""
        self.acked = True


def consumer_for(spec: ConsumerSpec, sessions: SessionMaker) -> ReliableConsumer:
    """A consumer over `spec` writing to `sessions`, never connected to a broker."""
    return ReliableConsumer(spec, sessions, None, on_commit=lambda: None)  # type: ignore[arg-type]


async def replay(
    spec: ConsumerSpec, sessions: SessionMaker, events: Sequence[Event], sizes: Iterable[int]
) -> None:
    """Apply `events` in order, in consecutive batches of `sizes` (cycled), each in one
    transaction exactly as the consumer applies a fetched batch."""
    consumer = consumer_for(spec, sessions)
    start = 0
    for size in itertools.cycle(sizes):
        if start >= len(events):
            return
        batch = events[start : start + max(size, 1)]
        start += len(batch)
        messages = [(FakeMsg(e.SUBJECT, encode(e)), e) for e in batch]
        await consumer._apply(messages)  # type: ignore[arg-type]


def _stable(row: dict[str, Any], renamed: dict[str, str]) -> tuple[Any, ...]:
    """A row without volatile columns, generated ids replaced by their order of appearance."""
    kept = {}
    for name, value in sorted(row.items()):
        if _is_clock(value) or (
            name in VOLATILE and not (isinstance(value, str) and value in renamed)
        ):
            continue
        kept[name] = renamed.get(value, value) if isinstance(value, str) else value
    return tuple(sorted((k, json.dumps(v, sort_keys=True, default=str)) for k, v in kept.items()))


async def snapshot(
    sessions: SessionMaker, tables: Sequence[type[SQLModel]], renamed: dict[str, str]
) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of `tables`, comparable between replays (sorted, volatile columns dropped)."""
    found: dict[str, list[tuple[Any, ...]]] = {}
    async with sessions() as session:
        for table in tables:
            rows = (await session.execute(select(table.__table__))).mappings()  # type: ignore[attr-defined]
            found[str(table.__tablename__)] = sorted(_stable(dict(r), renamed) for r in rows)
    return found


async def outgoing(sessions: SessionMaker) -> tuple[list[tuple[str, str, Any]], dict[str, str]]:
    """The staged events in staging order as (subject, correlation, payload data) with
    generated ids and correlations named by order of appearance; and that renaming (to apply
    to table snapshots)."""
    renamed: dict[str, str] = {}
    found = []
    async with sessions() as session:
        rows = await session.execute(
            select(col(OutboxRecord.subject), col(OutboxRecord.payload)).order_by(
                col(OutboxRecord.id)
            )
        )
        for subject, payload in rows:
            envelope = json.loads(payload)
            data = envelope["data"]
            for key in ("match_id", "entry_id"):
                if isinstance(data.get(key), str):
                    renamed.setdefault(data[key], f"{key}#{len(renamed)}")
            kept = {
                k: renamed.get(v, v) if isinstance(v, str) else v
                for k, v in data.items()
                if not _is_clock(v) and (k not in VOLATILE or k in ("match_id", "entry_id"))
            }
            correlation = envelope["correlation_id"]
            renamed.setdefault(correlation, f"correlation#{len(renamed)}")
            found.append((subject, renamed[correlation], kept))
    return found, renamed
