"""Outbox relay: publishes committed outbox rows to JetStream, then marks them sent."""

import asyncio
import contextlib
import json
import logging
import time
from datetime import UTC, datetime, timedelta

from nats.js import JetStreamContext
from sqlalchemy import delete, func, select, update
from sqlmodel import col

from shared.contracts.envelope import utcnow
from shared.db import SessionMaker, transaction
from shared.metrics import EVENTS_PUBLISHED, OUTBOX_OLDEST_AGE, OUTBOX_PENDING
from shared.outbox import OutboxRecord

log = logging.getLogger(__name__)

RETENTION = timedelta(days=1)
# How often the relay exports its backlog (count and oldest age) between readiness checks.
BACKLOG_REFRESH_S = 5.0
# JetStream deduplicates on this header within the stream's duplicate window.
MESSAGE_ID_HEADER = "Nats-Msg-Id"


class OutboxRelay:
    """Publishes every unpublished row, oldest first, with `Nats-Msg-Id` = event id.

    It always selects rows that are still unpublished instead of remembering the last id,
    so a transaction that commits late is never skipped. Two relays (replicas) may publish
    the same row; JetStream's duplicate window and the consumers' inbox make that harmless.
    """

    def __init__(
        self,
        service: str,
        sessionmaker: SessionMaker,
        js: JetStreamContext,
        *,
        batch_size: int = 500,
        interval_s: float = 0.5,
    ) -> None:
        self._service = service
        self._sessionmaker = sessionmaker
        self._js = js
        self._batch_size = batch_size
        self._interval_s = interval_s
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self.last_error: str | None = None

    def notify(self) -> None:
        """Tell the relay that a transaction with outbox rows has committed."""
        self._wake.set()

    def start(self) -> None:
        """Run the relay in the background."""
        self._task = asyncio.create_task(self._run(), name=f"{self._service}-outbox-relay")

    async def stop(self) -> None:
        """Publish what is pending, then stop."""
        if self._task is None:
            return
        # A flag, not only cancel(): on Python 3.11 `wait_for` can swallow a cancellation that
        # arrives as the wake-up event fires, and the loop would then run on.
        self._stopping = True
        self._wake.set()
        try:
            await asyncio.wait_for(asyncio.shield(self._task), timeout=10)
        except TimeoutError:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._task = None
        with contextlib.suppress(Exception):
            await self.drain()

    async def drain(self) -> int:
        """Publish until nothing is pending; return how many rows were published."""
        total = 0
        while published := await self.publish_batch():
            total += published
        return total

    async def publish_batch(self) -> int:
        """Publish up to one batch of pending rows; return how many were marked published."""
        async with self._sessionmaker() as session:
            rows = list(
                await session.scalars(
                    select(OutboxRecord)
                    .where(col(OutboxRecord.published_at).is_(None))
                    .order_by(col(OutboxRecord.id))
                    .limit(self._batch_size)
                )
            )
        if not rows:
            return 0
        results = await asyncio.gather(
            *(self._publish(row) for row in rows), return_exceptions=True
        )
        sent = [row for row, result in zip(rows, results, strict=True) if result is None]
        failures = [result for result in results if isinstance(result, BaseException)]
        if failures:
            self.last_error = f"{type(failures[0]).__name__}: {failures[0]}"
            log.warning("outbox publish failed for %d events; will retry", len(failures))
        if sent:
            async with transaction(self._sessionmaker) as session:
                await session.execute(
                    update(OutboxRecord)
                    .where(col(OutboxRecord.id).in_([row.id for row in sent]))
                    .values(published_at=utcnow())
                )
            for row in sent:
                EVENTS_PUBLISHED.labels(self._service, row.subject).inc()
        if failures and not sent:
            raise failures[0]
        return len(sent)

    async def _publish(self, row: OutboxRecord) -> None:
        headers = json.loads(row.headers)
        headers[MESSAGE_ID_HEADER] = row.event_id
        await self._js.publish(row.subject, row.payload, headers=headers)

    async def pending(self) -> int:
        """How many rows wait to be published (exported with the oldest one's age)."""
        async with self._sessionmaker() as session:
            count, oldest = (
                await session.execute(
                    select(func.count(), func.min(col(OutboxRecord.created_at))).where(
                        col(OutboxRecord.published_at).is_(None)
                    )
                )
            ).one()
        OUTBOX_PENDING.labels(self._service).set(count or 0)
        OUTBOX_OLDEST_AGE.labels(self._service).set(_age_s(oldest))
        return int(count or 0)

    async def _purge_old(self) -> None:
        async with transaction(self._sessionmaker) as session:
            await session.execute(
                delete(OutboxRecord).where(col(OutboxRecord.published_at) < utcnow() - RETENTION)
            )

    async def _run(self) -> None:
        backoff = self._interval_s
        cycles = 0
        backlog_seen_at = 0.0
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=backoff)
            self._wake.clear()
            if self._stopping:
                return
            if time.monotonic() - backlog_seen_at > BACKLOG_REFRESH_S:
                backlog_seen_at = time.monotonic()
                with contextlib.suppress(Exception):  # a database outage shows in readiness
                    await self.pending()
            try:
                await self.drain()
                cycles += 1
                if cycles % 1000 == 1:
                    await self._purge_old()
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the relay must outlive NATS and DB outages
                self.last_error = f"{type(error).__name__}: {error}"
                log.warning("outbox relay paused: %s", self.last_error)
                backoff = min(backoff * 2, 5.0)
            else:
                self.last_error = None
                backoff = self._interval_s


def _age_s(created_at: datetime | None) -> float:
    """Seconds since `created_at` (0 for no row); SQLite hands back naive UTC times."""
    if created_at is None:
        return 0.0
    if created_at.tzinfo is None:
        created_at = created_at.replace(tzinfo=UTC)
    return max(0.0, (utcnow() - created_at).total_seconds())
