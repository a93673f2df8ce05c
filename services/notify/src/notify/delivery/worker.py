"""The delivery worker: claims due rows, sends each outside any transaction, records what
became of it. A crash between the send and the record leaves the row `sending` until its
lease runs out; then it is sent again with the same delivery_id (at least once to the
provider; the channel passes delivery_id on so a provider can drop the repeat)."""

import logging
from dataclasses import dataclass, replace
from datetime import timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from notify.alerts.domain import SETTLED, advanced
from notify.alerts.models import Notification
from notify.channels.base import DeliveryOutcome, OutgoingMessage
from notify.channels.texts import render, spoken
from notify.delivery.domain import backoff_s
from notify.delivery.metrics import FAILED, SENDS
from notify.delivery.models import Delivery
from notify.delivery.options import DeliveryOptions
from notify.people.domain import CONSOLE
from notify.people.models import Person
from shared.db import changed_a_row
from shared.periodic import PeriodicJob
from shared.runtime import ServiceRuntime

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Claim:
    """A delivery this worker holds the lease of, with the message to send (or why not)."""

    delivery_id: str
    notification_id: str
    channel: str
    attempts: int
    message: OutgoingMessage | None
    problem: str | None


class DeliveryWorker(PeriodicJob):
    """Every `interval_s`: send what is due, retry with back-off, report what failed."""

    def __init__(self, runtime: ServiceRuntime, options: DeliveryOptions, interval_s: float):
        super().__init__("delivery", runtime, self._unused, interval_s, "deliveries sent")
        self.options = options

    @staticmethod
    async def _unused(_: AsyncSession) -> int:
        return 0

    async def check(self) -> int:
        """One round: claim (one transaction), send (none), record (one transaction each)."""
        async with self._runtime.unit_of_work() as session:
            claims = await self._claim(session)
        for claim in claims:
            outcome = await self._send(claim)
            async with self._runtime.unit_of_work() as session:
                await self._record(session, claim, outcome)
        return len(claims)

    async def _claim(self, session: AsyncSession) -> list[Claim]:
        now = self.options.clock.now()
        due = or_(
            and_(col(Delivery.state) == "pending", col(Delivery.due_at) <= now),
            and_(col(Delivery.state) == "sending", col(Delivery.lease_until) < now),
        )
        query = (
            select(Delivery, Notification, Person)
            .join(Notification, col(Notification.notification_id) == Delivery.notification_id)
            .outerjoin(Person, col(Person.person_id) == Notification.person_id)
            .where(due, col(Delivery.channel) != CONSOLE)
            .order_by(col(Delivery.due_at))
            .limit(self.options.batch)
        )
        claims = []
        for delivery, notification, person in (await session.execute(query)).all():
            claim = self._prepare(delivery, notification, person)
            taken = await changed_a_row(
                session,
                update(Delivery)
                .where(
                    col(Delivery.delivery_id) == delivery.delivery_id,
                    col(Delivery.state) == delivery.state,
                    col(Delivery.attempts) == claim.attempts - 1,
                )
                .values(
                    state="sending",
                    attempts=claim.attempts,
                    lease_until=now + timedelta(seconds=self.options.lease_s),
                )
                .execution_options(synchronize_session=False),
            )
            if taken:
                claims.append(claim)
        return claims

    def _prepare(
        self, delivery: Delivery, notification: Notification, person: Person | None
    ) -> Claim:
        claim = Claim(
            delivery.delivery_id,
            notification.notification_id,
            delivery.channel,
            delivery.attempts + 1,
            None,
            None,
        )
        if notification.state in SETTLED:
            return replace(claim, problem=f"notification {notification.state}")
        address = None
        if person is not None:
            address = person.email if delivery.channel == "email" else person.phone
        if not address:
            return replace(claim, problem=f"no {delivery.channel} address on file")
        return replace(claim, message=self._message(delivery, notification, person, address))

    def _message(
        self, delivery: Delivery, notification: Notification, person: Person | None, address: str
    ) -> OutgoingMessage:
        options = self.options
        ack_url = None
        if notification.kind == "crisis" and options.signer is not None:
            expires = options.clock.now() + timedelta(seconds=options.link_ttl_s)
            token = options.signer.sign(
                notification.notification_id, notification.person_id, expires
            )
            ack_url = f"{options.public_url.rstrip('/')}/ack/{token}?via={delivery.channel}"
        language = spoken(person.language if person is not None else None)
        subject, body = render(notification.kind, language, notification.facts, ack_url)
        return OutgoingMessage(
            delivery_id=delivery.delivery_id,
            person_id=notification.person_id,
            address=address,
            language=language,
            kind=notification.kind,
            subject=subject,
            body=body,
            ack_url=ack_url,
        )

    async def _send(self, claim: Claim) -> DeliveryOutcome | None:
        """The provider's answer; None when there is nothing to send (settled meanwhile)."""
        if claim.message is None:
            return None
        channel = self.options.channels.get(claim.channel)
        if channel is None:
            return DeliveryOutcome(False, False, f"no {claim.channel} channel configured", None)
        try:
            outcome = await channel.send(claim.message)
        except Exception as error:  # a channel bug or a network error: try again later
            outcome = DeliveryOutcome(False, True, type(error).__name__, None)
        SENDS.labels(claim.channel, "sent" if outcome.sent else "failed").inc()
        return outcome

    async def _record(
        self, session: AsyncSession, claim: Claim, outcome: DeliveryOutcome | None
    ) -> None:
        now = self.options.clock.now()
        ours = (
            update(Delivery)
            .where(
                col(Delivery.delivery_id) == claim.delivery_id,
                col(Delivery.state) == "sending",
                col(Delivery.attempts) == claim.attempts,
            )
            .execution_options(synchronize_session=False)
        )
        if outcome is None and claim.problem and claim.problem.startswith("notification"):
            await session.execute(ours.values(state="cancelled", last_reason=claim.problem))
            return
        if outcome is None:
            outcome = DeliveryOutcome(False, False, claim.problem, None)
        if outcome.sent:
            values = {"state": "sent", "sent_at": now, "provider_id": outcome.provider_id}
            if await changed_a_row(session, ours.values(**values)):
                await _advance(session, claim.notification_id, "sent", now)
            return
        reason = (outcome.reason or "unknown")[:200]
        if outcome.transient and claim.attempts < self.options.max_attempts:
            delay = backoff_s(claim.attempts, self.options.retry_base_s, self.options.retry_cap_s)
            retry = {"state": "pending", "due_at": now + timedelta(seconds=delay)}
            await session.execute(ours.values(last_reason=reason, **retry))
            return
        if await changed_a_row(
            session, ours.values(state="failed", failed_at=now, last_reason=reason)
        ):
            FAILED.labels(claim.channel).inc()
            log.warning(
                "delivery %s (%s) of notification %s failed after %d attempts: %s",
                claim.delivery_id,
                claim.channel,
                claim.notification_id,
                claim.attempts,
                reason,
            )
            await _advance(session, claim.notification_id, "failed", now)


async def _advance(session: AsyncSession, notification_id: str, to: str, now: object) -> None:
    """Move the notification on (never backwards), dating the step."""
    row = await session.get(Notification, notification_id)
    if row is None:
        return
    state = advanced(row.state, to)
    if state != row.state:
        row.state = state
        setattr(row, f"{to}_at", now)
        row.version += 1
