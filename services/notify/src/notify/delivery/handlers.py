"""Use cases of delivery rows that ride with a notification's own transaction."""

import uuid
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from notify.delivery.models import Delivery
from notify.people.domain import CONSOLE, Contact, channels_for, quiet_until

WAITING = ("pending", "sending")


def plan(
    session: AsyncSession,
    notification_id: str,
    kind: str,
    person: Contact | None,
    now: datetime,
) -> list[Delivery]:
    """One row per channel: due now, or (not for a crisis) when the person's quiet hours end."""
    rows = []
    for channel in channels_for(person, kind):
        due = now
        if channel != CONSOLE and person is not None:
            due = quiet_until(person, kind, now) or now
        rows.append(
            Delivery(
                delivery_id=uuid.uuid4().hex,
                notification_id=notification_id,
                channel=channel,
                state="pending",
                due_at=due,
                created_at=now,
            )
        )
    session.add_all(rows)
    return rows


async def cancel(session: AsyncSession, notification_ids: list[str], reason: str) -> None:
    """Nothing more goes out for settled notifications (a send in flight may still land)."""
    if not notification_ids:
        return
    await session.execute(
        update(Delivery)
        .where(
            col(Delivery.notification_id).in_(notification_ids),
            col(Delivery.state) == "pending",
        )
        .values(state="cancelled", last_reason=reason)
    )
