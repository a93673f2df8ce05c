"""Matching's matches as the calendar follows them: the introduction session is scheduled when a
match is made, and the sessions still scheduled are cancelled when it ends."""

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from sessions.calendar import domain
from sessions.calendar.events import session_state
from sessions.calendar.models import PeerSession
from sessions.calendar.options import CalendarOptions
from sessions.calendar.reads import availability, bookings
from sessions.projections.models import MatchProjection, PatientMerge
from shared.contracts.matching import MatchEnded, MatchMade
from shared.contracts.sessions import SessionCancelled, SessionScheduled
from shared.intake_projection import surviving_patient_ref
from shared.outbox import stage
from shared.projections import apply_if_newer

MATCH_FIELDS = ("match_id", "episode_id", "patient_ref", "mentor_id", "branch", "status", "version")


INTRODUCTION_MINUTES = 45


async def on_match_made(session: AsyncSession, event: MatchMade, options: CalendarOptions) -> None:
    """Schedule the introduction session of a new match (keyed by the surviving `patient_ref`
    if intake merged the patient before this match reached us)."""
    applied = await apply_if_newer(
        session, MatchProjection, event.data.match_id, event.data, MATCH_FIELDS
    )
    if applied is None:
        return
    patient_ref = await surviving_patient_ref(session, PatientMerge, event.data.patient_ref)
    applied.patient_ref = patient_ref
    existing = await session.scalar(
        select(col(PeerSession.session_id)).where(
            col(PeerSession.match_id) == event.data.match_id,
            col(PeerSession.kind) == "introduction",
        )
    )
    if existing is not None or event.data.status != "active":
        return
    row = PeerSession(
        session_id=domain.new_session_id(),
        match_id=event.data.match_id,
        episode_id=event.data.episode_id,
        patient_ref=patient_ref,
        mentor_id=event.data.mentor_id,
        kind="introduction",
        status="scheduled",
        scheduled_for=await _introduction_slot(session, event, patient_ref, options),
    )
    session.add(row)
    stage(
        session,
        SessionScheduled.new(
            session_state(row), branch=event.branch, correlation_id=event.correlation_id
        ),
    )


async def _introduction_slot(
    session: AsyncSession, event: MatchMade, patient_ref: str, options: CalendarOptions
) -> datetime:
    """The usual introduction time, or the first free half hour after it when the mentor or
    the patient is busy then or the mentor is not available (the usual time if nothing fits
    within two weeks: better a clash the mentor moves than no introduction)."""
    tz = ZoneInfo(options.branch_timezone)
    usual = domain.introduction_time(
        event.data.matched_at, options.introduction_after_hours, options.introduction_hour, tz
    )
    busy = await bookings(session, mentor_id=event.data.mentor_id) + await bookings(
        session, patient_ref=patient_ref
    )
    slots = await availability(session, event.data.mentor_id)
    return domain.first_free(usual, INTRODUCTION_MINUTES, busy, slots, tz) or usual


async def on_match_ended(session: AsyncSession, event: MatchEnded) -> None:
    """Cancel the sessions still scheduled for a match that ended."""
    applied = await apply_if_newer(
        session, MatchProjection, event.data.match_id, event.data, MATCH_FIELDS
    )
    if applied is None:
        return
    applied.patient_ref = await surviving_patient_ref(session, PatientMerge, applied.patient_ref)
    scheduled = await session.scalars(
        select(PeerSession).where(
            col(PeerSession.match_id) == event.data.match_id, col(PeerSession.status) == "scheduled"
        )
    )
    for row in list(scheduled):
        row.status = "cancelled"
        row.version += 1
        stage(
            session,
            SessionCancelled.new(
                session_state(row), branch=event.branch, correlation_id=event.correlation_id
            ),
        )
