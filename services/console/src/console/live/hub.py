"""Follows the services' events on core NATS (no durable consumer: a screen only needs to know
that something changed) and hands each to the open screens whose reach covers its branch.
Events carry no patient data, and what a screen shows is fetched again through the APIs."""

import asyncio
import contextlib
import json
import logging
from dataclasses import dataclass

import nats
from nats.aio.client import Client
from nats.aio.msg import Msg

from console.config import SERVICES, ConsoleSettings
from shared.nats_connect import tls_context

log = logging.getLogger(__name__)
QUEUE_SIZE = 200
DEAD_LETTERS = "deadletter"
# Events of no one branch (the network's, the shared mentor pool's) go to every screen.
EVERY_BRANCH = ("network", "shared-pool")


@dataclass(frozen=True)
class LiveEvent:
    """That something happened: its topic (`matching-match`), type, branch and time."""

    topic: str
    type: str
    branch: str
    occurred_at: str


def event_of(subject: str, payload: bytes) -> LiveEvent | None:
    """The live event of a NATS message, or None when it is not an event envelope."""
    service, aggregate = [*subject.split("."), "", ""][:2]
    if service == DEAD_LETTERS:  # a copy of a failed event: only that it arrived matters
        return LiveEvent(DEAD_LETTERS, "ops.dead_letter.arrived", "network", "")
    try:
        envelope = json.loads(payload)
        return LiveEvent(
            f"{service}-{aggregate}",
            str(envelope["type"]),
            str(envelope.get("branch") or "network"),
            str(envelope.get("occurred_at") or ""),
        )
    except (ValueError, KeyError, TypeError):
        return None


class Listener:
    """One open screen: the branch it may see (None: every branch), whose it is, its queue."""

    def __init__(self, branch: str | None, role: str) -> None:
        self.branch = branch
        self.role = role
        self.queue: asyncio.Queue[LiveEvent] = asyncio.Queue(QUEUE_SIZE)

    def offer(self, event: LiveEvent) -> None:
        """Queue the event if it is within reach; a screen that lags drops the overflow."""
        if event.topic == DEAD_LETTERS and self.role != "ops":
            return
        if self.branch is None or event.branch in (self.branch, *EVERY_BRANCH):
            with contextlib.suppress(asyncio.QueueFull):
                self.queue.put_nowait(event)


class LiveHub:
    """The console's one NATS connection and the screens listening to it."""

    def __init__(self, settings: ConsoleSettings) -> None:
        self._settings = settings
        self._listeners: set[Listener] = set()
        self._connection: Client | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def connected(self) -> bool:
        """Whether events are being followed."""
        return self._connection is not None and self._connection.is_connected

    def listen(self, branch: str | None, role: str) -> Listener:
        """A new screen's listener."""
        listener = Listener(branch, role)
        self._listeners.add(listener)
        return listener

    def leave(self, listener: Listener) -> None:
        """A screen closed."""
        self._listeners.discard(listener)

    def publish_local(self, event: LiveEvent) -> None:
        """Hand an event to every listener in reach."""
        for listener in list(self._listeners):
            listener.offer(event)

    async def _on_message(self, message: Msg) -> None:
        event = event_of(message.subject, message.data)
        if event is not None:
            self.publish_local(event)

    async def _connect_forever(self) -> None:
        settings, delay = self._settings, 0.5
        tls = None
        if settings.nats_tls_ca_path or settings.nats_url.startswith("tls://"):
            tls = tls_context(
                settings.nats_tls_ca_path, settings.nats_tls_cert_path, settings.nats_tls_key_path
            )
        password = settings.nats_password.get_secret_value() if settings.nats_password else None
        while self._connection is None:
            try:
                connection = await nats.connect(
                    settings.nats_url,
                    user=settings.nats_user,
                    password=password,
                    tls=tls,
                    connect_timeout=3,
                    allow_reconnect=True,
                    max_reconnect_attempts=-1,
                    name="saathi-console",
                )
                for prefix in (*SERVICES, DEAD_LETTERS):
                    await connection.subscribe(f"{prefix}.>", cb=self._on_message)
                self._connection = connection
                log.info("following events on NATS")
            except Exception as error:
                log.warning(
                    "NATS unreachable (%s); screens refresh on their own meanwhile",
                    type(error).__name__,
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)

    def start(self) -> None:
        """Begin following events (in the background, retrying until NATS answers)."""
        if self._settings.live_events:
            self._task = asyncio.create_task(self._connect_forever())

    async def stop(self) -> None:
        """Stop following and close the connection."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._connection is not None:
            await self._connection.close()
            self._connection = None
