"""1:1 sessions on the calendar: schedule, reschedule, cancel, complete, missed (with a prompt
to the mentor to follow up), and each mentor's weekly availability."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, delete, exists, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col

from sessions.calendar import domain
from sessions.calendar.events import session_state
from sessions.calendar.models import MentorAvailability, PeerSession
from sessions.calendar.options import CalendarOptions
from sessions.calendar.reads import availability as availability
from sessions.calendar.reads import bookings
from sessions.calendar.schemas import (
    AvailabilitySlot,
    CompleteRequest,
    RescheduleRequest,
    ScheduleRequest,
)
from sessions.projections.models import MatchProjection
from shared.contracts.envelope import Event, utcnow
from shared.contracts.sessions import (
    MissedSessionState,
    SessionCancelled,
    SessionCompleted,
    SessionMissed,
    SessionRescheduled,
    SessionScheduled,
)
from shared.db import get_or_not_found
from shared.errors import Conflict
from shared.outbox import stage

MISSED_BATCH = 500


async def set_availability(
    session: AsyncSession, mentor_id: str, slots: list[AvailabilitySlot]
) -> list[domain.Slot]:
    """Replace a mentor's weekly availability (sessions already booked stay)."""
    await session.execute(
        delete(MentorAvailability).where(col(MentorAvailability.mentor_id) == mentor_id)
    )
    session.add_all(MentorAvailability(mentor_id=mentor_id, **s.model_dump()) for s in slots)
    await session.flush()
    return await availability(session, mentor_id)


async def _check_bookable(
    session: AsyncSession,
    row_mentor: str,
    row_patient: str,
    start: datetime,
    minutes: int,
    options: CalendarOptions,
    leave_out: str | None = None,
) -> None:
    domain.check_bookable(
        start,
        minutes,
        await bookings(session, mentor_id=row_mentor, leave_out=leave_out),
        await bookings(session, patient_ref=row_patient, leave_out=leave_out),
        await availability(session, row_mentor),
        ZoneInfo(options.branch_timezone),
    )


def _publish(session: AsyncSession, event_cls: type[Event], row: PeerSession, branch: str) -> None:
    state = (
        MissedSessionState.model_validate(row, from_attributes=True)
        if event_cls is SessionMissed
        else session_state(row)
    )
    stage(session, event_cls.new(state, branch=branch))


async def _branch(session: AsyncSession, match_id: str) -> str:
    match = await session.get(MatchProjection, match_id)
    return match.branch if match else "unknown"


async def schedule(
    session: AsyncSession, request: ScheduleRequest, options: CalendarOptions, now: datetime
) -> PeerSession:
    """Book a 1:1 session for an active match, when the mentor is available and neither the
    mentor nor the patient has another session then."""
    match = await get_or_not_found(
        session, MatchProjection, request.match_id, f"match {request.match_id!r}"
    )
    if match.status != "active":
        raise Conflict(f"the match is {match.status}; sessions are booked for an active match")
    domain.check_future(request.scheduled_for, now)
    await _check_bookable(
        session,
        match.mentor_id,
        match.patient_ref,
        request.scheduled_for,
        request.planned_minutes,
        options,
    )
    row = PeerSession(
        session_id=domain.new_session_id(),
        match_id=match.match_id,
        episode_id=match.episode_id,
        patient_ref=match.patient_ref,
        mentor_id=match.mentor_id,
        kind="one_to_one",
        status="scheduled",
        scheduled_for=request.scheduled_for,
        planned_minutes=request.planned_minutes,
    )
    session.add(row)
    _publish(session, SessionScheduled, row, match.branch)
    await session.flush()
    return row


async def _scheduled(session: AsyncSession, session_id: str) -> PeerSession:
    row = await get_or_not_found(
        session, PeerSession, session_id, f"session {session_id!r}", for_update=True
    )
    if row.status != "scheduled":
        raise Conflict(f"the session is {row.status}; only a scheduled session can change")
    return row


async def reschedule(
    session: AsyncSession,
    session_id: str,
    request: RescheduleRequest,
    options: CalendarOptions,
    now: datetime,
) -> PeerSession:
    """Move a scheduled session, under the same calendar rules."""
    row = await _scheduled(session, session_id)
    domain.check_future(request.scheduled_for, now)
    minutes = request.planned_minutes or row.planned_minutes
    await _check_bookable(
        session,
        row.mentor_id,
        row.patient_ref,
        request.scheduled_for,
        minutes,
        options,
        leave_out=row.session_id,
    )
    row.scheduled_for, row.planned_minutes = request.scheduled_for, minutes
    row.version += 1
    _publish(session, SessionRescheduled, row, await _branch(session, row.match_id))
    await session.flush()
    return row


async def cancel(session: AsyncSession, session_id: str, reason: str) -> PeerSession:
    """Cancel a scheduled session, with the reason."""
    row = await _scheduled(session, session_id)
    row.status, row.cancel_reason = "cancelled", reason
    row.version += 1
    _publish(session, SessionCancelled, row, await _branch(session, row.match_id))
    await session.flush()
    return row


async def mark_missed(session: AsyncSession, session_id: str, now: datetime) -> PeerSession:
    """The patient did not come: the session is missed and the mentor is prompted."""
    row = await _scheduled(session, session_id)
    await _miss(session, row, now)
    return row


async def _miss(session: AsyncSession, row: PeerSession, now: datetime) -> None:
    row.status, row.missed_at = "missed", now
    row.version += 1
    _publish(session, SessionMissed, row, await _branch(session, row.match_id))
    await session.flush()


async def sweep_missed(session: AsyncSession, options: CalendarOptions, now: datetime) -> int:
    """Scheduled sessions nobody recorded within the grace after their end become missed."""
    grace = timedelta(minutes=options.missed_after_minutes)
    due = await session.scalars(
        select(PeerSession)
        .where(col(PeerSession.status) == "scheduled", col(PeerSession.scheduled_for) < now)
        .order_by(col(PeerSession.scheduled_for))
        .limit(MISSED_BATCH)
        .with_for_update(skip_locked=True)
    )
    count = 0
    for row in list(due):
        if domain.missed(row.scheduled_for, row.planned_minutes, grace, now):
            await _miss(session, row, now)
            count += 1
    return count


async def follow_up_prompts(
    session: AsyncSession, mentor_id: str, scope: ColumnElement[bool]
) -> list[PeerSession]:
    """A mentor's missed sessions with nothing booked or held since for that match: each is a
    prompt to follow up with the patient."""
    later = aliased(PeerSession)
    rows = await session.scalars(
        select(PeerSession)
        .where(
            col(PeerSession.mentor_id) == mentor_id,
            col(PeerSession.status) == "missed",
            scope,
            ~exists().where(
                col(later.match_id) == col(PeerSession.match_id),
                col(later.scheduled_for) > col(PeerSession.scheduled_for),
                col(later.status).in_(("scheduled", "completed")),
            ),
        )
        .order_by(col(PeerSession.scheduled_for))
    )
    return list(rows)


async def complete(session: AsyncSession, session_id: str, request: CompleteRequest) -> PeerSession:
    """Record that a session took place (attendance, duration, peer note)."""
    row = await get_or_not_found(session, PeerSession, session_id, f"session {session_id!r}")
    domain.check_can_complete(row.status)
    row.status = "completed"
    row.attended = request.attended
    row.duration_minutes = request.duration_minutes
    row.note = request.note
    row.completed_at = utcnow()
    row.version += 1
    match = await session.get(MatchProjection, row.match_id)
    stage(
        session,
        SessionCompleted.new(session_state(row), branch=match.branch if match else "unknown"),
    )
    return row
