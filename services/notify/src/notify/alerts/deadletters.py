"""Dead letters for ops: a durable consumer over the dead-letter stream that tells the people
with role ops. Dead letters are raw copies of failed messages, not contracts, so this is not
a ReliableConsumer; it keeps the same rules: inbox, one transaction, ack after commit."""

import asyncio
import contextlib
import logging

from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from notify.alerts import domain, handlers
from notify.alerts.options import AlertOptions
from shared import inbox
from shared.deadletters import CONSUMER
from shared.nats_permissions import DEAD_LETTER_WATCHERS
from shared.runtime import ServiceRuntime
from shared.streams import DEAD_LETTER_PREFIX, DEAD_LETTER_STREAM

log = logging.getLogger(__name__)
[DURABLE] = DEAD_LETTER_WATCHERS["notify"]
FETCH_TIMEOUT_S = 5.0


class DeadLetterWatch:
    """A runtime listener: each new dead letter becomes a notification to ops."""

    name = DURABLE

    def __init__(self, runtime: ServiceRuntime, options: AlertOptions) -> None:
        self._runtime = runtime
        self._options = options
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self._subscription: JetStreamContext.PullSubscription | None = None
        self.last_error: str | None = None

    async def start(self) -> None:
        """Bind the durable consumer (new dead letters only) and watch."""
        js = self._runtime.js
        config = ConsumerConfig(
            durable_name=DURABLE,
            filter_subject=f"{DEAD_LETTER_PREFIX}.>",
            ack_policy=AckPolicy.EXPLICIT,
            deliver_policy=DeliverPolicy.NEW,
            ack_wait=30,
        )
        await js.add_consumer(DEAD_LETTER_STREAM, config)
        self._subscription = await js.pull_subscribe_bind(
            durable=DURABLE, stream=DEAD_LETTER_STREAM
        )
        self._task = asyncio.create_task(self._run(), name=DURABLE)

    async def stop(self) -> None:
        """Stop watching (an unacked dead letter is redelivered to the next start)."""
        self._stopping.set()
        if self._task is not None:
            # nats-py can turn a cancelled fetch into its own TimeoutError, which the loop
            # takes for an empty fetch: the flag ends the loop then, within one fetch.
            self._task.cancel()
            await asyncio.wait({self._task}, timeout=FETCH_TIMEOUT_S + 1)
            self._task = None

    def health(self) -> tuple[bool, str]:
        """Watching, and the last error if any."""
        running = self._task is not None and not self._task.done()
        return running, self.last_error or ("watching" if running else "stopped")

    async def _run(self) -> None:
        while not self._stopping.is_set():
            assert self._subscription is not None
            try:
                messages = await self._subscription.fetch(batch=20, timeout=FETCH_TIMEOUT_S)
            except TimeoutError:
                continue
            except Exception as error:  # the connection went away: bind again once it is back
                self.last_error = f"fetch failed: {type(error).__name__}"
                log.warning("%s: %s; rebinding", DURABLE, self.last_error)
                await asyncio.sleep(1.0)
                with contextlib.suppress(Exception):
                    self._subscription = await self._runtime.js.pull_subscribe_bind(
                        durable=DURABLE, stream=DEAD_LETTER_STREAM
                    )
                continue
            for msg in messages:
                await self._handle(msg)

    async def _handle(self, msg: Msg) -> None:
        sequence = msg.metadata.sequence.stream
        consumer = (msg.headers or {}).get(CONSUMER, msg.subject.split(".", 1)[-1])
        try:
            async with self._runtime.unit_of_work() as session:
                key = f"dl-{sequence}"
                if await inbox.claim(session, DURABLE, [(key, msg.subject)]):
                    await handlers.notify(
                        session,
                        domain.dead_letter_alert(consumer, sequence),
                        self._options.clock.now(),
                        source_event_id=key,
                        correlation_id=key,
                    )
        except Exception as error:  # a database blip: redelivered after a pause
            self.last_error = type(error).__name__
            log.warning("%s: dead letter %s not recorded (%s)", DURABLE, sequence, self.last_error)
            await msg.nak(delay=5)
            return
        self.last_error = None
        await msg.ack()
