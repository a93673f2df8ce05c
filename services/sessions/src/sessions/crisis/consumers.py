"""Which events crisis escalation consumes: notify's acknowledgements, when a person takes on a
crisis alert from the console or the link in an e-mail or a text."""

import logging

from sqlalchemy.ext.asyncio import AsyncSession

from sessions.crisis import handlers
from sessions.crisis.models import Crisis
from shared.consumer import ConsumerSpec
from shared.contracts.notify import AlertAcknowledged
from shared.streams import stream_for

log = logging.getLogger(__name__)


async def on_alert_acknowledged(session: AsyncSession, event: AlertAcknowledged) -> None:
    """Acknowledge the crisis as the person who acknowledged its alert, by the same rules as
    `POST /crises/{id}/acknowledge`: only someone alerted; a crisis already acknowledged or
    resolved (or a repeat of this event) changes nothing."""
    ack = event.data
    if ack.kind != "crisis":
        return
    row = await session.get(Crisis, ack.subject_id, with_for_update=True)
    if row is None or row.status != "open":
        return
    if ack.person_id not in handlers.alerted_so_far(row):
        log.warning(
            "notification %s: %s was not alerted for crisis %s; acknowledgement ignored",
            ack.notification_id,
            ack.person_id,
            ack.subject_id,
        )
        return
    await handlers.take_on(session, row, ack.person_id, ack.acknowledged_at)


def consumer_specs() -> list[ConsumerSpec]:
    """The durable consumer over notify's acknowledgements."""
    return [
        ConsumerSpec(
            name="sessions-notify-events",
            stream=stream_for("notify.>"),
            filter_subject=AlertAcknowledged.SUBJECT,
            handlers={AlertAcknowledged.SUBJECT: on_alert_acknowledged},  # type: ignore[dict-item]
        )
    ]
