"""What the calendar rules read: who is booked when, and when a mentor is available."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from sessions.calendar import domain
from sessions.calendar.models import MentorAvailability, PeerSession


async def bookings(
    session: AsyncSession,
    *,
    mentor_id: str | None = None,
    patient_ref: str | None = None,
    leave_out: str | None = None,
) -> list[domain.Booking]:
    """The scheduled sessions of a mentor or a patient (leaving one out, when moving it)."""
    query = select(PeerSession).where(col(PeerSession.status) == "scheduled")
    if mentor_id is not None:
        query = query.where(col(PeerSession.mentor_id) == mentor_id)
    if patient_ref is not None:
        query = query.where(col(PeerSession.patient_ref) == patient_ref)
    return [
        domain.Booking(row.session_id, row.scheduled_for, row.planned_minutes)
        for row in await session.scalars(query)
        if row.session_id != leave_out
    ]


async def availability(session: AsyncSession, mentor_id: str) -> list[domain.Slot]:
    """A mentor's weekly availability (empty: any time)."""
    rows = await session.scalars(
        select(MentorAvailability)
        .where(col(MentorAvailability.mentor_id) == mentor_id)
        .order_by(col(MentorAvailability.weekday), col(MentorAvailability.start))
    )
    return [domain.Slot(r.weekday, r.start, r.end) for r in rows]
