"""A service's running parts: database, broker, outbox relay and consumers, started together."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Sequence
from contextlib import asynccontextmanager
from typing import Protocol

from faststream.nats import NatsBroker
from nats.js import JetStreamContext
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from shared import db
from shared.consumer import ConsumerSpec, ReliableConsumer
from shared.errors import StartupError
from shared.migrations import upgrade
from shared.nats_connect import nats_security
from shared.relay import OutboxRelay
from shared.settings import ServiceSettings
from shared.streams import ensure_streams, missing_streams
from shared.tracing import configure_tracing

log = logging.getLogger(__name__)


def _safe_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


class Listener(Protocol):
    """Something a service serves besides HTTP (e.g. intake's MLLP listener)."""

    name: str

    async def start(self) -> None:
        """Begin serving; raise StartupError with advice if it cannot."""

    async def stop(self) -> None:
        """Stop serving and finish work in flight."""

    def health(self) -> tuple[bool, str]:
        """Whether it is serving, and a short detail for /readyz."""


class ServiceRuntime:
    """Owns one service's engine, NATS broker, relay and consumers."""

    def __init__(
        self,
        name: str,
        settings: ServiceSettings,
        *,
        env_prefix: str,
        migrations_package: str | None = None,
        consumer_specs: Sequence[ConsumerSpec] = (),
    ) -> None:
        self.name = name
        self.settings = settings
        self._env_prefix = env_prefix
        self._migrations_package = migrations_package
        self._consumer_specs = consumer_specs
        self.engine: AsyncEngine = db.make_engine(settings.database_url)
        self.sessionmaker = db.make_sessionmaker(self.engine)
        self.broker: NatsBroker | None = None
        self.relay: OutboxRelay | None = None
        self.consumers: list[ReliableConsumer] = []
        self.listeners: list[Listener] = []
        self.started = False

    @property
    def consumer_specs(self) -> tuple[ConsumerSpec, ...]:
        """The durable consumers this service runs (what it reads, and with which handlers)."""
        return tuple(self._consumer_specs)

    @property
    def js(self) -> JetStreamContext:
        """JetStream context of the running broker connection."""
        assert self.broker is not None, "runtime not started"
        return self.broker.connection.jetstream()

    async def start(self) -> None:
        """Check the database, migrate, connect NATS, declare streams, start relay and consumers."""
        if self.started:
            return
        configure_tracing(self.name)
        await self._check_database()
        if self.settings.migrate_on_start and self._migrations_package:
            await upgrade(self._migrations_package, self.settings.database_url)
        await self._connect_broker()
        js = self.js
        await self._check_streams(js)
        self.relay = OutboxRelay(
            self.name, self.sessionmaker, js, interval_s=self.settings.relay_interval_s
        )
        self.relay.start()
        await self._start_consumers(js, self.relay)
        for listener in self.listeners:
            await listener.start()
        self.started = True
        log.info("%s started", self.name)

    async def _check_database(self) -> None:
        """Fail start with advice when the database does not answer in time."""
        try:
            await asyncio.wait_for(db.ping(self.engine), self.settings.startup_timeout_s)
        except Exception as error:
            raise StartupError(
                f"{self.name}: cannot reach the database at "
                f"{_safe_url(self.settings.database_url)} "
                f"({type(error).__name__}: {error}). Check {self._env_prefix}DATABASE_URL "
                "and that the database server is running."
            ) from None

    async def _connect_broker(self) -> None:
        """Connect to NATS, or fail start with advice when it does not answer in time."""
        timeout = self.settings.startup_timeout_s
        self.broker = NatsBroker(
            self.settings.nats_url,
            connect_timeout=max(1, int(timeout)),
            reconnect_time_wait=1,
            max_reconnect_attempts=-1,
            graceful_timeout=15.0,
            security=nats_security(self.settings),
        )
        try:
            await asyncio.wait_for(self.broker.start(), timeout)
        except Exception as error:
            with contextlib.suppress(Exception):
                await self.broker.stop()
            self.broker = None
            raise StartupError(
                f"{self.name}: cannot reach NATS at {self.settings.nats_url} within {timeout:.0f}s "
                f"({type(error).__name__}). Start nats-server with JetStream (-js) or set "
                f"{self._env_prefix}NATS_URL."
            ) from None

    async def _check_streams(self, js: JetStreamContext) -> None:
        """Declare the streams, or (when ops provision them) insist that they exist."""
        if self.settings.manage_streams:
            await ensure_streams(js, self.settings.stream_replicas)
            return
        missing = await missing_streams(js)
        if missing:
            raise StartupError(
                f"{self.name}: NATS has no stream {', '.join(missing)}; provision the "
                "streams as ops (`saathi nats provision`) or set "
                f"{self._env_prefix}MANAGE_STREAMS=true"
            )

    async def _start_consumers(self, js: JetStreamContext, relay: OutboxRelay) -> None:
        """Start one reliable consumer per spec; each commit wakes the outbox relay."""
        for spec in self._consumer_specs:
            consumer = ReliableConsumer(
                spec,
                self.sessionmaker,
                js,
                on_commit=relay.notify,
                batch_size=self.settings.consumer_batch_size,
                max_attempts=self.settings.max_attempts,
                retry_delay_s=self.settings.retry_delay_s,
                ack_wait_s=self.settings.ack_wait_s,
                stall_after_s=self.settings.stall_after_s,
            )
            await consumer.start()
            self.consumers.append(consumer)

    async def _bounded(self, what: str, step: Awaitable[None]) -> None:
        """One step of stopping, given the grace period: a step that hangs is logged by name
        and left behind, so the service still exits (an orchestrator's SIGKILL would skip the
        steps after it)."""
        try:
            await asyncio.wait_for(step, self.settings.shutdown_grace_s)
        except TimeoutError:
            log.warning(
                "stopping %s took over %.0fs; going on", what, self.settings.shutdown_grace_s
            )

    async def stop(self) -> None:
        """Drain: finish batches in flight, publish pending outbox rows, close connections."""
        for listener in self.listeners:
            await self._bounded(f"listener {type(listener).__name__}", listener.stop())
        for consumer in self.consumers:
            await self._bounded(f"consumer {consumer.spec.name}", consumer.stop())
        self.consumers.clear()
        if self.relay is not None:
            await self._bounded("the outbox relay", self.relay.stop())
            self.relay = None
        if self.broker is not None:
            with contextlib.suppress(Exception):
                await self._bounded("the NATS connection", self.broker.stop())
            self.broker = None
        await self.engine.dispose()
        self.started = False
        log.info("%s stopped", self.name)

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[AsyncSession]:
        """A transaction for state plus outbox rows; the relay is woken after commit."""
        async with db.transaction(self.sessionmaker) as session:
            yield session
        if self.relay is not None:
            self.relay.notify()

    async def readiness(self) -> dict[str, tuple[bool, str]]:
        """Database, broker, relay, every listener and every consumer."""
        checks: dict[str, tuple[bool, str]] = {}
        try:
            await asyncio.wait_for(db.ping(self.engine), 2.0)
            checks["database"] = (True, "ok")
        except Exception as error:
            checks["database"] = (False, type(error).__name__)
        connected = self.broker is not None and self.broker.connection.is_connected
        checks["broker"] = (connected, "connected" if connected else "disconnected")
        if self.relay is not None:
            try:
                pending = await asyncio.wait_for(self.relay.pending(), 2.0)
            except Exception as error:
                checks["outbox"] = (False, type(error).__name__)
            else:
                error_text = self.relay.last_error
                checks["outbox"] = (error_text is None, error_text or f"{pending} pending")
        for listener in self.listeners:
            checks[f"listener:{listener.name}"] = listener.health()
        for consumer in self.consumers:
            try:
                checks[f"consumer:{consumer.spec.name}"] = await asyncio.wait_for(
                    consumer.health(), 2.0
                )
            except Exception as error:
                checks[f"consumer:{consumer.spec.name}"] = (False, type(error).__name__)
        return checks
