"""The console's live feed: a person's notifications as server-sent events.

Each open stream polls the database (every `stream_poll_s`) for the person's notifications
newer than the last it sent, so it works the same with one replica or many; what it shows is
marked delivered on the console."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from notify.alerts.domain import OPEN, advanced
from notify.alerts.models import Notification
from notify.alerts.schemas import NotificationView
from notify.delivery.models import Delivery
from notify.people.domain import CONSOLE
from shared.runtime import ServiceRuntime

KEEPALIVE_S = 15.0
# A row is dated before its transaction commits: look back this far, skipping rows already sent.
LOOK_BACK = timedelta(seconds=60)


async def _news(
    session: AsyncSession, person_id: str, since: datetime | None, seen: set[str]
) -> list[Notification]:
    query = select(Notification).where(col(Notification.person_id) == person_id)
    if since is None:  # on connect: whatever is still open
        query = query.where(col(Notification.state).in_(OPEN))
    else:
        query = query.where(col(Notification.created_at) >= since)
    rows = await session.scalars(query.order_by(col(Notification.created_at)).limit(200))
    return [row for row in rows if row.notification_id not in seen]


async def _mark_delivered(session: AsyncSession, rows: list[Notification], now: datetime) -> None:
    ids = [row.notification_id for row in rows]
    for row in await session.scalars(
        select(Notification).where(col(Notification.notification_id).in_(ids))
    ):
        state = advanced(row.state, "delivered")
        if state != row.state:
            row.state, row.delivered_at = state, now
            row.version += 1
    await session.execute(
        update(Delivery)
        .where(
            col(Delivery.notification_id).in_(ids),
            col(Delivery.channel) == CONSOLE,
            col(Delivery.state) == "pending",
        )
        .values(state="delivered", sent_at=now)
    )


def _frame(row: Notification) -> str:
    data = NotificationView.model_validate(row).model_dump_json()
    return f"id: {row.notification_id}\nevent: notification\ndata: {data}\n\n"


async def feed(
    runtime: ServiceRuntime,
    person_id: str,
    now: Callable[[], datetime],
    poll_s: float,
    disconnected: Callable[[], Awaitable[bool]],
    follow: bool = True,
) -> AsyncIterator[str]:
    """Server-sent events: open notifications first, then each new one as it is created."""
    since: datetime | None = None
    seen: set[str] = set()
    quiet = 0.0
    while True:
        started = now()
        async with runtime.sessionmaker() as session:  # a read: no writer's lock per tick
            rows = await _news(session, person_id, since, seen)
        if rows:
            async with runtime.unit_of_work() as session:
                await _mark_delivered(session, rows, started)
        for row in rows:
            seen.add(row.notification_id)
            yield _frame(row)
        if not follow:
            return
        since = started - LOOK_BACK
        quiet = 0.0 if rows else quiet + poll_s
        if quiet >= KEEPALIVE_S:
            quiet = 0.0
            yield ": keepalive\n\n"
        if await disconnected():
            return
        await asyncio.sleep(poll_s)
