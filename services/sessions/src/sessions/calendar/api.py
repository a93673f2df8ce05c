"""Calendar REST API: list sessions and record their outcome; book, move, cancel and mark missed
1:1 sessions; mentors' availability and their follow-up prompts."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, status
from sqlalchemy import select
from sqlmodel import col

from sessions.calendar import handlers
from sessions.calendar.models import PeerSession
from sessions.calendar.options import CalendarOptions
from sessions.calendar.schemas import (
    AvailabilityRequest,
    AvailabilitySlot,
    CancelRequest,
    CompleteRequest,
    RescheduleRequest,
    ScheduleRequest,
    SessionView,
)
from sessions.reach import (
    Mentoring,
    Oversight,
    ensure_match,
    ensure_mentor,
    ensure_session,
    sessions_of,
)
from shared.db import get_or_not_found
from shared.depends import Runtime, options
from shared.fields import Offset, RecordIdPath
from shared.web import ERROR_RESPONSES

Options = Annotated[CalendarOptions, options(CalendarOptions)]

# Tags per route: the sessions routes and the calendar's kept the tags they were published with.
router = APIRouter(responses=ERROR_RESPONSES)


@router.get(
    "/sessions",
    response_model=list[SessionView],
    summary="Sessions, soonest first",
    tags=["sessions"],
)
async def list_sessions(
    runtime: Runtime,
    access: Oversight,
    mentor_id: str | None = None,
    patient_ref: str | None = None,
    match_id: str | None = None,
    status: Literal["scheduled", "completed", "cancelled", "missed"] | None = None,
    offset: Offset = 0,
    limit: int = Query(100, ge=1, le=1000),
) -> list[PeerSession]:
    query = (
        select(PeerSession)
        .where(sessions_of(access))
        .order_by(col(PeerSession.scheduled_for), col(PeerSession.session_id))
    )
    for column, value in (
        (col(PeerSession.mentor_id), mentor_id),
        (col(PeerSession.patient_ref), patient_ref),
        (col(PeerSession.match_id), match_id),
        (col(PeerSession.status), status),
    ):
        if value is not None:
            query = query.where(column == value)
    async with runtime.sessionmaker() as session:
        return list(await session.scalars(query.offset(offset).limit(limit)))


@router.get(
    "/sessions/{session_id}", response_model=SessionView, summary="One session", tags=["sessions"]
)
async def get_session(session_id: str, runtime: Runtime, access: Oversight) -> PeerSession:
    async with runtime.sessionmaker() as session:
        await ensure_session(session, access, session_id)
        return await get_or_not_found(session, PeerSession, session_id, f"session {session_id!r}")


@router.post(
    "/sessions/{session_id}/complete",
    response_model=SessionView,
    summary="Record attendance, duration and a peer note",
    tags=["sessions"],
)
async def complete(
    session_id: str, request: CompleteRequest, runtime: Runtime, access: Mentoring
) -> PeerSession:
    async with runtime.unit_of_work() as session:
        await ensure_session(session, access, session_id)
        return await handlers.complete(session, session_id, request)


@router.post(
    "/sessions",
    response_model=SessionView,
    status_code=status.HTTP_201_CREATED,
    summary="Book a 1:1 session (409 if the mentor or patient is busy then)",
    tags=["calendar"],
)
async def schedule(
    request: ScheduleRequest, runtime: Runtime, opts: Options, access: Mentoring
) -> PeerSession:
    async with runtime.unit_of_work() as session:
        await ensure_match(session, access, request.match_id)
        return await handlers.schedule(session, request, opts, opts.clock.now())


@router.post(
    "/sessions/{session_id}/reschedule",
    response_model=SessionView,
    summary="Move a session",
    tags=["calendar"],
)
async def reschedule(
    session_id: RecordIdPath,
    request: RescheduleRequest,
    runtime: Runtime,
    opts: Options,
    access: Mentoring,
) -> PeerSession:
    async with runtime.unit_of_work() as session:
        await ensure_session(session, access, session_id)
        return await handlers.reschedule(session, session_id, request, opts, opts.clock.now())


@router.post(
    "/sessions/{session_id}/cancel",
    response_model=SessionView,
    summary="Cancel a session",
    tags=["calendar"],
)
async def cancel(
    session_id: RecordIdPath, request: CancelRequest, runtime: Runtime, access: Mentoring
) -> PeerSession:
    async with runtime.unit_of_work() as session:
        await ensure_session(session, access, session_id)
        return await handlers.cancel(session, session_id, request.reason)


@router.post(
    "/sessions/{session_id}/missed",
    response_model=SessionView,
    summary="The patient did not come: the mentor is prompted to follow up",
    tags=["calendar"],
)
async def missed(
    session_id: RecordIdPath, runtime: Runtime, opts: Options, access: Mentoring
) -> PeerSession:
    async with runtime.unit_of_work() as session:
        await ensure_session(session, access, session_id)
        return await handlers.mark_missed(session, session_id, opts.clock.now())


@router.put(
    "/mentors/{mentor_id}/availability",
    response_model=list[AvailabilitySlot],
    summary="Set a mentor's weekly availability (branch local time)",
    tags=["calendar"],
)
async def set_availability(
    mentor_id: RecordIdPath, request: AvailabilityRequest, runtime: Runtime, access: Mentoring
) -> list[AvailabilitySlot]:
    async with runtime.unit_of_work() as session:
        await ensure_mentor(session, access, mentor_id)
        slots = await handlers.set_availability(session, mentor_id, request.slots)
    return [AvailabilitySlot.model_validate(s, from_attributes=True) for s in slots]


@router.get(
    "/mentors/{mentor_id}/availability",
    response_model=list[AvailabilitySlot],
    summary="A mentor's weekly availability (empty: any time)",
    tags=["calendar"],
)
async def get_availability(
    mentor_id: RecordIdPath, runtime: Runtime, access: Oversight
) -> list[AvailabilitySlot]:
    async with runtime.sessionmaker() as session:
        await ensure_mentor(session, access, mentor_id)
        slots = await handlers.availability(session, mentor_id)
    return [AvailabilitySlot.model_validate(s, from_attributes=True) for s in slots]


@router.get(
    "/mentors/{mentor_id}/prompts",
    response_model=list[SessionView],
    summary="Missed sessions the mentor has not followed up yet",
    tags=["calendar"],
)
async def prompts(
    mentor_id: RecordIdPath, runtime: Runtime, access: Oversight
) -> list[PeerSession]:
    async with runtime.sessionmaker() as session:
        await ensure_mentor(session, access, mentor_id)
        return await handlers.follow_up_prompts(session, mentor_id, sessions_of(access))
