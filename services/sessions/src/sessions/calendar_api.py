"""Calendar REST API: book, move, cancel and mark missed 1:1 sessions; mentors' availability
and their follow-up prompts."""

from fastapi import APIRouter, status

from sessions import scheduling
from sessions.api import MENTORING, OVERSIGHT, ensure_session, sessions_of
from sessions.config import SessionsSettings
from sessions.models import PeerSession
from sessions.reach import ensure_match, ensure_mentor
from sessions.schemas import (
    AvailabilityRequest,
    AvailabilitySlot,
    CancelRequest,
    RescheduleRequest,
    ScheduleRequest,
    SessionView,
)
from shared.access import Access
from shared.clock import Clock
from shared.fields import RecordIdPath
from shared.runtime import ServiceRuntime
from shared.web import ERROR_RESPONSES


def build_calendar_router(
    runtime: ServiceRuntime, settings: SessionsSettings, clock: Clock
) -> APIRouter:
    """Routes for booking sessions."""
    router = APIRouter(tags=["calendar"], responses=ERROR_RESPONSES)

    @router.post(
        "/sessions",
        response_model=SessionView,
        status_code=status.HTTP_201_CREATED,
        summary="Book a 1:1 session (409 if the mentor or patient is busy then)",
    )
    async def schedule(request: ScheduleRequest, access: Access = MENTORING) -> PeerSession:
        async with runtime.unit_of_work() as session:
            await ensure_match(session, access, request.match_id)
            return await scheduling.schedule(session, request, settings, clock.now())

    @router.post(
        "/sessions/{session_id}/reschedule", response_model=SessionView, summary="Move a session"
    )
    async def reschedule(
        session_id: RecordIdPath, request: RescheduleRequest, access: Access = MENTORING
    ) -> PeerSession:
        async with runtime.unit_of_work() as session:
            await ensure_session(session, access, session_id)
            return await scheduling.reschedule(session, session_id, request, settings, clock.now())

    @router.post(
        "/sessions/{session_id}/cancel", response_model=SessionView, summary="Cancel a session"
    )
    async def cancel(
        session_id: RecordIdPath, request: CancelRequest, access: Access = MENTORING
    ) -> PeerSession:
        async with runtime.unit_of_work() as session:
            await ensure_session(session, access, session_id)
            return await scheduling.cancel(session, session_id, request.reason)

    @router.post(
        "/sessions/{session_id}/missed",
        response_model=SessionView,
        summary="The patient did not come: the mentor is prompted to follow up",
    )
    async def missed(session_id: RecordIdPath, access: Access = MENTORING) -> PeerSession:
        async with runtime.unit_of_work() as session:
            await ensure_session(session, access, session_id)
            return await scheduling.mark_missed(session, session_id, clock.now())

    @router.put(
        "/mentors/{mentor_id}/availability",
        response_model=list[AvailabilitySlot],
        summary="Set a mentor's weekly availability (branch local time)",
    )
    async def set_availability(
        mentor_id: RecordIdPath, request: AvailabilityRequest, access: Access = MENTORING
    ) -> list[AvailabilitySlot]:
        async with runtime.unit_of_work() as session:
            await ensure_mentor(session, access, mentor_id)
            slots = await scheduling.set_availability(session, mentor_id, request.slots)
        return [AvailabilitySlot.model_validate(s, from_attributes=True) for s in slots]

    @router.get(
        "/mentors/{mentor_id}/availability",
        response_model=list[AvailabilitySlot],
        summary="A mentor's weekly availability (empty: any time)",
    )
    async def get_availability(
        mentor_id: RecordIdPath, access: Access = OVERSIGHT
    ) -> list[AvailabilitySlot]:
        async with runtime.sessionmaker() as session:
            await ensure_mentor(session, access, mentor_id)
            slots = await scheduling.availability(session, mentor_id)
        return [AvailabilitySlot.model_validate(s, from_attributes=True) for s in slots]

    @router.get(
        "/mentors/{mentor_id}/prompts",
        response_model=list[SessionView],
        summary="Missed sessions the mentor has not followed up yet",
    )
    async def prompts(mentor_id: RecordIdPath, access: Access = OVERSIGHT) -> list[PeerSession]:
        async with runtime.sessionmaker() as session:
            await ensure_mentor(session, access, mentor_id)
            return await scheduling.follow_up_prompts(session, mentor_id, sessions_of(access))

    return router
