"""Reliable JetStream consumer: durable pull, inbox, one transaction per batch, ack after commit."""

import asyncio
import contextlib
import itertools
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, ConsumerInfo, DeliverPolicy
from sqlalchemy.ext.asyncio import AsyncSession

from shared import inbox
from shared.consumer_failures import FailurePolicy, is_transient
from shared.consumer_runs import BatchHandler, Handler, apply_each, apply_run, in_trace_of
from shared.contracts.envelope import Event
from shared.contracts.registry import BY_SUBJECT, UndecodableEvent, decode
from shared.db import SessionMaker, transaction
from shared.metrics import (
    BATCH_SECONDS,
    CONSUMER_ACK_PENDING,
    CONSUMER_PENDING,
    EVENTS_CONSUMED,
    EVENTS_DEAD_LETTERED,
)

log = logging.getLogger(__name__)

__all__ = ["BatchHandler", "ConsumerSpec", "Handler", "ReliableConsumer", "in_trace_of"]

# JetStream's own ceiling; our max_attempts (settings) dead-letters poison messages long before.
# Transient failures (database down) do not count towards max_attempts, so they are retried
# until this ceiling, which at the 30 s maximum backoff is about a day.
SERVER_MAX_DELIVER = 3000
# How often a busy consumer asks the server for its pending counts (an idle one asks at each
# empty fetch, a probed one at each readiness check).
LAG_REFRESH_S = 5.0


@dataclass(frozen=True)
class ConsumerSpec:
    """What one durable consumer reads and which handler applies each subject."""

    name: str
    stream: str
    filter_subject: str
    handlers: Mapping[str, Handler]
    # Subjects applied a run at a time; a subject in both maps uses its batch handler, and
    # consecutive events of the subjects one batch handler serves make one run.
    batch_handlers: Mapping[str, BatchHandler] = field(default_factory=dict)

    def handles(self, subject: str) -> bool:
        """True when a handler (per event or per run) applies this subject."""
        return subject in self.handlers or subject in self.batch_handlers


class ReliableConsumer:
    """Pulls batches, applies each batch in one transaction with the inbox, acks after commit.

    Undecodable or unknown-version messages are dead-lettered at once. A message whose handler
    keeps failing is NAKed with a growing delay and dead-lettered after `max_attempts`.
    """

    def __init__(
        self,
        spec: ConsumerSpec,
        sessionmaker: SessionMaker,
        js: JetStreamContext,
        *,
        on_commit: Callable[[], None],
        batch_size: int = 200,
        max_attempts: int = 5,
        retry_delay_s: float = 1.0,
        ack_wait_s: float = 30.0,
        idle_timeout_s: float = 5.0,
        stall_after_s: float = 60.0,
    ) -> None:
        self.spec = spec
        self._sessionmaker = sessionmaker
        self._js = js
        self._on_commit = on_commit
        self._batch_size = batch_size
        self._failures = FailurePolicy(spec.name, js, max_attempts, retry_delay_s)
        self._ack_wait_s = ack_wait_s
        self._idle_timeout_s = idle_timeout_s
        self._stall_after_s = stall_after_s
        self._subscription: JetStreamContext.PullSubscription | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._busy = False
        self.last_progress = time.monotonic()
        self.last_error: str | None = None
        self._lag_seen_at = 0.0
        # The series exists at 0 from the start, so an alert on its increase sees the first one.
        EVENTS_DEAD_LETTERED.labels(spec.name)

    async def start(self) -> None:
        """Create the durable consumer if needed, bind to it and start pulling."""
        config = ConsumerConfig(
            durable_name=self.spec.name,
            filter_subject=self.spec.filter_subject,
            ack_policy=AckPolicy.EXPLICIT,
            deliver_policy=DeliverPolicy.ALL,
            ack_wait=self._ack_wait_s,
            max_deliver=SERVER_MAX_DELIVER,
            max_ack_pending=max(1000, self._batch_size * 4),
        )
        await self._js.add_consumer(self.spec.stream, config)
        await self._bind()
        self._task = asyncio.create_task(self._run(), name=f"consumer-{self.spec.name}")

    async def stop(self, grace_s: float = 15.0) -> None:
        """Stop pulling; let the batch in flight commit and ack (up to `grace_s`)."""
        self._stopping = True
        if self._task is None:
            return
        if not self._busy:
            self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError, TimeoutError):
            await asyncio.wait_for(self._task, timeout=grace_s)
        self._task = None
        if self._subscription is not None:
            with contextlib.suppress(Exception):
                await self._subscription.unsubscribe()

    async def health(self) -> tuple[bool, str]:
        """Unhealthy when messages are pending but nothing was applied for `stall_after_s`."""
        if self._task is None or self._task.done():
            return False, "consumer task is not running"
        info = await self._js.consumer_info(self.spec.stream, self.spec.name)
        pending = self._record_lag(info)
        if pending == 0:
            self.last_progress = time.monotonic()
            return True, "idle"
        idle_for = time.monotonic() - self.last_progress
        if idle_for > self._stall_after_s:
            return False, f"{pending} pending, no progress for {idle_for:.0f}s"
        return True, f"{pending} pending"

    def _record_lag(self, info: ConsumerInfo) -> int:
        """Export the server's pending and ack-pending counts; return their sum."""
        CONSUMER_PENDING.labels(self.spec.name).set(info.num_pending or 0)
        CONSUMER_ACK_PENDING.labels(self.spec.name).set(info.num_ack_pending or 0)
        self._lag_seen_at = time.monotonic()
        return (info.num_pending or 0) + (info.num_ack_pending or 0)

    async def _refresh_lag_when_due(self) -> None:
        """Under steady load no fetch comes back empty: ask for the counts now and then."""
        if time.monotonic() - self._lag_seen_at < LAG_REFRESH_S:
            return
        with contextlib.suppress(Exception):
            self._record_lag(await self._js.consumer_info(self.spec.stream, self.spec.name))

    async def _bind(self) -> None:
        if self._subscription is not None:
            with contextlib.suppress(Exception):
                await self._subscription.unsubscribe()
        self._subscription = await self._js.pull_subscribe_bind(
            durable=self.spec.name, stream=self.spec.stream
        )

    async def _fetch(self) -> list[Msg]:
        assert self._subscription is not None
        # A lingering fetch of N waits for all N (or the timeout), so wait for one message,
        # then take whatever else is already there without waiting: low latency when quiet,
        # large batches under load.
        messages = await self._subscription.fetch(batch=1, timeout=self._idle_timeout_s)
        if self._batch_size > 1:
            with contextlib.suppress(TimeoutError):
                messages += await self._subscription.fetch(
                    batch=self._batch_size - 1, timeout=0.002
                )
        return messages

    async def _run(self) -> None:
        while not self._stopping:
            try:
                messages = await self._fetch()
            except TimeoutError:
                await self._check_for_stall()
                continue
            except asyncio.CancelledError:
                raise
            except Exception as error:
                self.last_error = f"fetch failed: {type(error).__name__}"
                log.warning("consumer %s: %s; rebinding", self.spec.name, self.last_error)
                await asyncio.sleep(1.0)
                with contextlib.suppress(Exception):
                    await self._bind()
                continue
            self._busy = True
            try:
                await self._process(messages)
            finally:
                self._busy = False
            await self._refresh_lag_when_due()

    async def _check_for_stall(self) -> None:
        """nats-py pull subscriptions can go quiet after a broker restart: rebind if so."""
        with contextlib.suppress(Exception):
            info = await self._js.consumer_info(self.spec.stream, self.spec.name)
            self._record_lag(info)
            if info.num_pending:
                log.warning(
                    "consumer %s: messages pending but none fetched; rebinding", self.spec.name
                )
                await self._bind()
            else:
                self.last_progress = time.monotonic()

    async def _process(self, messages: list[Msg]) -> None:
        decoded: list[tuple[Msg, Event]] = []
        for msg in messages:
            event = await self._decode_or_settle(msg)
            if event is not None:
                decoded.append((msg, event))
        if not decoded:
            self.last_progress = time.monotonic()
            return
        try:
            await self._apply(decoded)
        except asyncio.CancelledError:
            raise
        except Exception as error:
            if is_transient(error):
                self.last_error = await self._failures.retry_all_later(decoded, error)
            elif len(decoded) == 1:
                self.last_error = await self._failures.retry_or_dead_letter(*decoded[0], error)
            else:
                # Find the culprit: apply one at a time so good events are not held back.
                for msg, event in decoded:
                    try:
                        await self._apply([(msg, event)])
                    except Exception as single_error:
                        self.last_error = await self._failures.retry_or_dead_letter(
                            msg, event, single_error
                        )

    async def _decode_or_settle(self, msg: Msg) -> Event | None:
        """Decode a message; dead-letter what no contract accepts, ack what we do not handle."""
        if not self.spec.handles(msg.subject):
            if msg.subject in BY_SUBJECT:
                await msg.ack()
                EVENTS_CONSUMED.labels(self.spec.name, msg.subject, "ignored").inc()
                return None
            await self._failures.dead_letter(msg, f"unknown event type or version on {msg.subject}")
            return None
        try:
            return decode(msg.subject, msg.data)
        except UndecodableEvent as error:
            await self._failures.dead_letter(msg, error.reason)
            return None

    async def _apply(self, batch: list[tuple[Msg, Event]]) -> None:
        started = time.perf_counter()
        async with transaction(self._sessionmaker) as session:
            fresh = await inbox.claim(
                session, self.spec.name, [(str(e.event_id), m.subject) for m, e in batch]
            )
            outcomes = []
            applied: list[tuple[Msg, Event]] = []
            for msg, event in batch:
                # `discard` also covers the same event twice in one batch (a redelivery).
                applies = str(event.event_id) in fresh
                fresh.discard(str(event.event_id))
                outcomes.append("applied" if applies else "duplicate")
                if applies:
                    applied.append((msg, event))
            for _, run in itertools.groupby(applied, key=self._run_key):
                await self._apply_run(session, list(run))
        BATCH_SECONDS.labels(self.spec.name).observe(time.perf_counter() - started)
        self._on_commit()
        for (msg, _), outcome in zip(batch, outcomes, strict=True):
            EVENTS_CONSUMED.labels(self.spec.name, msg.subject, outcome).inc()
            await msg.ack()
        self.last_progress = time.monotonic()
        self.last_error = None

    def _run_key(self, pair: tuple[Msg, Event]) -> object:
        """Consecutive events with the same key form a run: those of one batch handler (which
        may serve several subjects, e.g. episodes and their consent), else of one subject."""
        return self.spec.batch_handlers.get(pair[0].subject) or pair[0].subject

    async def _apply_run(self, session: AsyncSession, run: list[tuple[Msg, Event]]) -> None:
        """Apply consecutive events of one run: one batch handler call (one span linked to
        every event's trace), or one handler call and span per event."""
        batch_handler = self.spec.batch_handlers.get(run[0][0].subject)
        if batch_handler is None:
            await apply_each(self.spec.name, self.spec.handlers[run[0][0].subject], session, run)
        else:
            await apply_run(self.spec.name, batch_handler, session, run)
