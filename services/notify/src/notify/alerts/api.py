"""Notifications REST API: coordinators list them within their reach; a person reads,
follows live and acknowledges their own."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from sqlalchemy import ColumnElement, select, true
from sqlmodel import col

from notify.alerts import handlers, stream
from notify.alerts.models import Notification
from notify.alerts.options import AlertOptions
from notify.alerts.schemas import NotificationView, State
from notify.people.api import STAFF
from shared.access import Access, allow
from shared.db import get_or_not_found
from shared.depends import Runtime, options
from shared.errors import Forbidden, NotFound
from shared.fields import Offset, RecordIdPath
from shared.web import ERROR_RESPONSES

Coordinator = Annotated[Access, allow("coordinator")]
Staff = Annotated[Access, allow(*STAFF)]
Options = Annotated[AlertOptions, options(AlertOptions)]

router = APIRouter(tags=["notifications"], responses=ERROR_RESPONSES)


def in_reach(access: Access) -> ColumnElement[bool]:
    """A coordinator of a branch sees that branch's notifications; a network one, all."""
    if access.is_local or access.branch is None:
        return true()
    return col(Notification.branch) == access.branch


def may_act_for(access: Access, row: Notification) -> bool:
    """The addressee, or a coordinator whose reach covers the notification."""
    if access.is_local or access.subject == row.person_id:
        return True
    return access.role == "coordinator" and access.branch in (None, row.branch)


async def _listing(
    runtime: Runtime, condition: ColumnElement[bool], offset: int, limit: int
) -> list[Notification]:
    query = (
        select(Notification)
        .where(condition)
        .order_by(col(Notification.created_at).desc(), col(Notification.notification_id))
    )
    async with runtime.sessionmaker() as session:
        return list(await session.scalars(query.offset(offset).limit(limit)))


@router.get(
    "/notifications", response_model=list[NotificationView], summary="Notifications, newest first"
)
async def list_notifications(
    runtime: Runtime,
    access: Coordinator,
    state: State | None = None,
    kind: str | None = Query(None, max_length=32),
    branch: str | None = Query(None, max_length=64),
    person_id: str | None = Query(None, max_length=40),
    offset: Offset = 0,
    limit: int = Query(100, ge=1, le=1000),
) -> list[Notification]:
    condition = in_reach(access)
    for column, value in (
        (col(Notification.state), state),
        (col(Notification.kind), kind),
        (col(Notification.branch), branch),
        (col(Notification.person_id), person_id),
    ):
        if value is not None:
            condition = condition & (column == value)
    return await _listing(runtime, condition, offset, limit)


@router.get(
    "/notifications/stream",
    summary="The caller's own notifications, live (server-sent events)",
    response_class=StreamingResponse,
)
async def follow(
    request: Request, runtime: Runtime, opts: Options, access: Staff, live: bool = True
) -> StreamingResponse:
    events = stream.feed(
        runtime,
        access.subject,
        opts.clock.now,
        opts.stream_poll_s,
        request.is_disconnected,
        follow=live,
    )
    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    return StreamingResponse(events, media_type="text/event-stream", headers=headers)


@router.get(
    "/people/{person_id}/notifications",
    response_model=list[NotificationView],
    summary="A person's notifications (theirs, or a coordinator's reach)",
)
async def person_notifications(
    person_id: RecordIdPath,
    runtime: Runtime,
    access: Staff,
    state: State | None = None,
    offset: Offset = 0,
    limit: int = Query(100, ge=1, le=1000),
) -> list[Notification]:
    condition = col(Notification.person_id) == person_id
    if not access.is_local and access.subject != person_id:
        if access.role != "coordinator":
            raise NotFound(f"no person {person_id!r}")
        condition = condition & in_reach(access)
    if state is not None:
        condition = condition & (col(Notification.state) == state)
    return await _listing(runtime, condition, offset, limit)


@router.post(
    "/notifications/{notification_id}/acknowledge",
    response_model=NotificationView,
    summary="Acknowledge a notification (the addressee, or a coordinator for them)",
)
async def acknowledge(
    notification_id: RecordIdPath, runtime: Runtime, opts: Options, access: Staff
) -> Notification:
    async with runtime.unit_of_work() as session:
        what = f"notification {notification_id!r}"
        row = await get_or_not_found(session, Notification, notification_id, what)
        if not may_act_for(access, row):
            raise Forbidden("only the person it is addressed to, or their coordinator, may")
        return await handlers.acknowledge(session, row, "console", opts.clock.now())
