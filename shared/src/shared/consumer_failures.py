"""What a consumer does with a message it cannot apply: retry with backoff, or dead-letter it."""

import asyncio
import contextlib
import logging
from dataclasses import dataclass

from nats.aio.msg import Msg
from nats.js import JetStreamContext
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from shared.contracts.envelope import Event
from shared.deadletters import send_to_dead_letters
from shared.metrics import EVENTS_CONSUMED, EVENTS_DEAD_LETTERED

log = logging.getLogger("shared.consumer")

MAX_BACKOFF_S = 30.0


def is_transient(error: BaseException) -> bool:
    """Failures of the environment (DB or network), not of the message: retry without limit."""
    if isinstance(error, OperationalError | InterfaceError):
        return True
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, TimeoutError | ConnectionError | OSError)


@dataclass(frozen=True)
class FailurePolicy:
    """Retry and dead-letter rules of one durable consumer; methods return the error to report."""

    consumer: str
    js: JetStreamContext
    max_attempts: int
    retry_delay_s: float

    def delay(self, attempt: int) -> float:
        """NAK delay for a delivery attempt: doubles per attempt up to `MAX_BACKOFF_S`."""
        return float(min(self.retry_delay_s * 2 ** max(attempt - 1, 0), MAX_BACKOFF_S))

    async def retry_all_later(self, batch: list[tuple[Msg, Event]], error: BaseException) -> str:
        """NAK a whole batch after a transient failure and wait before pulling again."""
        last_error = f"transient: {type(error).__name__}"
        attempt = max(msg.metadata.num_delivered for msg, _ in batch)
        delay = self.delay(attempt)
        log.warning(
            "consumer %s: %s; retrying %d events in %.1fs",
            self.consumer,
            last_error,
            len(batch),
            delay,
        )
        for msg, _ in batch:
            with contextlib.suppress(Exception):
                await msg.nak(delay=delay)
            EVENTS_CONSUMED.labels(self.consumer, msg.subject, "retried").inc()
        await asyncio.sleep(delay)
        return last_error

    async def retry_or_dead_letter(self, msg: Msg, event: Event, error: BaseException) -> str:
        """NAK a failed event for another attempt, or dead-letter it once attempts run out."""
        attempt = msg.metadata.num_delivered
        reason = f"{type(error).__name__} in handler after {attempt} deliveries"
        if is_transient(error) or attempt < self.max_attempts:
            log.warning(
                "consumer %s: event %s failed (%s); will retry",
                self.consumer,
                event.event_id,
                type(error).__name__,
            )
            await msg.nak(delay=self.delay(attempt))
            EVENTS_CONSUMED.labels(self.consumer, msg.subject, "retried").inc()
            return reason
        await self.dead_letter(msg, reason)
        return reason

    async def dead_letter(self, msg: Msg, reason: str) -> None:
        """Copy the message to the dead-letter stream, then terminate it."""
        try:
            await send_to_dead_letters(self.js, self.consumer, msg, reason)
        except Exception as error:
            # Never drop it: leave it for redelivery until the dead-letter stream takes it.
            log.error(
                "consumer %s: dead-letter publish failed (%s); will retry",
                self.consumer,
                type(error).__name__,
            )
            await msg.nak(delay=self.retry_delay_s)
            return
        await msg.term()
        EVENTS_DEAD_LETTERED.labels(self.consumer).inc()
        EVENTS_CONSUMED.labels(self.consumer, msg.subject, "dead_lettered").inc()
        log.error(
            "consumer %s: message on %s dead-lettered: %s", self.consumer, msg.subject, reason
        )
