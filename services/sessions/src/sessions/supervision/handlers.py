"""Supervision and mentor wellbeing: a mentor's load as their supervisor sees it, peer notes to
review, supervision meetings, and wellbeing checks."""

import secrets
from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from sessions.calendar.models import PeerSession
from sessions.projections.models import MatchProjection, MentorProjection
from sessions.supervision.domain import AHEAD, RECENT, MentorLoad
from sessions.supervision.models import SupervisionMeeting, WellbeingCheck
from sessions.supervision.schemas import MeetingRequest, NoteReviewRequest, WellbeingRequest
from shared.contracts.matching import POOL_BRANCH
from shared.contracts.sessions import WellbeingSupportRequested, WellbeingSupportState
from shared.db import get_or_not_found
from shared.errors import Conflict, Forbidden
from shared.outbox import stage


async def _count(session: AsyncSession, *where: ColumnElement[bool]) -> int:
    return int(
        await session.scalar(select(func.count()).select_from(PeerSession).where(*where)) or 0
    )


async def load_of(session: AsyncSession, mentor_id: str, now: datetime) -> MentorLoad:
    """A mentor's load now."""
    mine = col(PeerSession.mentor_id) == mentor_id
    mentees = await session.scalar(
        select(func.count())
        .select_from(MatchProjection)
        .where(col(MatchProjection.mentor_id) == mentor_id, col(MatchProjection.status) == "active")
    )
    latest = await session.scalar(
        select(WellbeingCheck)
        .where(col(WellbeingCheck.mentor_id) == mentor_id)
        .order_by(col(WellbeingCheck.at).desc())
        .limit(1)
    )
    return MentorLoad(
        mentor_id=mentor_id,
        active_mentees=int(mentees or 0),
        sessions_next_7_days=await _count(
            session,
            mine,
            col(PeerSession.status) == "scheduled",
            col(PeerSession.scheduled_for) >= now,
            col(PeerSession.scheduled_for) < now + AHEAD,
        ),
        completed_last_30_days=await _count(
            session,
            mine,
            col(PeerSession.status) == "completed",
            col(PeerSession.completed_at) >= now - RECENT,
        ),
        missed_last_30_days=await _count(
            session,
            mine,
            col(PeerSession.status) == "missed",
            col(PeerSession.missed_at) >= now - RECENT,
        ),
        notes_to_review=await _count(
            session,
            mine,
            col(PeerSession.note).is_not(None),
            col(PeerSession.note_reviewed_at).is_(None),
        ),
        latest_wellbeing=latest.score if latest else None,
        wants_support=bool(latest and latest.wants_support),
    )


async def notes_to_review(
    session: AsyncSession, mentor_id: str, scope: ColumnElement[bool]
) -> list[PeerSession]:
    """A mentor's completed sessions (those the caller reaches) whose peer note the supervisor
    has not read yet."""
    rows = await session.scalars(
        select(PeerSession)
        .where(
            col(PeerSession.mentor_id) == mentor_id,
            col(PeerSession.note).is_not(None),
            col(PeerSession.note_reviewed_at).is_(None),
            scope,
        )
        .order_by(col(PeerSession.completed_at))
    )
    return list(rows)


async def review_note(
    session: AsyncSession, session_id: str, request: NoteReviewRequest, now: datetime
) -> PeerSession:
    """The supervisor has read a session's peer note; only the mentor's own supervisor may
    say so (when matching has told us who that is)."""
    row = await get_or_not_found(session, PeerSession, session_id, f"session {session_id!r}")
    if row.note is None:
        raise Conflict("the session has no peer note to review")
    mentor = await session.get(MentorProjection, row.mentor_id)
    if mentor is not None and mentor.supervisor_id not in (None, request.supervisor_id):
        raise Forbidden(f"{request.supervisor_id} does not supervise {row.mentor_id}")
    row.note_reviewed_by, row.note_reviewed_at = request.supervisor_id, now
    await session.flush()
    return row


async def log_meeting(
    session: AsyncSession, request: MeetingRequest, now: datetime
) -> SupervisionMeeting:
    """Record a supervision meeting (held now unless said otherwise)."""
    row = SupervisionMeeting(
        meeting_id=f"sm_{secrets.token_hex(10)}",
        supervisor_id=request.supervisor_id,
        mentor_id=request.mentor_id,
        held_at=request.held_at or now,
        minutes=request.minutes,
        notes=request.notes,
    )
    session.add(row)
    await session.flush()
    return row


async def check_wellbeing(
    session: AsyncSession, mentor_id: str, request: WellbeingRequest, now: datetime
) -> WellbeingCheck:
    """A mentor records how they are doing; asking for support shows on their load and tells
    their supervisor (`sessions.wellbeing.support_requested`, in this transaction)."""
    row = WellbeingCheck(
        check_id=f"wb_{secrets.token_hex(10)}",
        mentor_id=mentor_id,
        at=now,
        score=request.score,
        wants_support=request.wants_support,
        note=request.note,
    )
    session.add(row)
    if row.wants_support:
        await _support_requested(session, row)
    await session.flush()
    return row


async def _support_requested(session: AsyncSession, check: WellbeingCheck) -> None:
    """Tell notify who asked and who supervises them (as matching last said): ids only."""
    mentor = await session.get(MentorProjection, check.mentor_id)
    branches = sorted(mentor.branches) if mentor is not None else []
    state = WellbeingSupportState(
        version=1,
        check_id=check.check_id,
        mentor_id=check.mentor_id,
        supervisor_id=mentor.supervisor_id if mentor is not None else None,
        branches=branches,
        requested_at=check.at,
    )
    branch = branches[0] if branches else POOL_BRANCH
    stage(session, WellbeingSupportRequested.new(state, branch=branch))


async def supervised_by(session: AsyncSession, supervisor_id: str) -> list[MentorProjection]:
    """The mentors a supervisor oversees (as matching last said)."""
    rows = await session.scalars(
        select(MentorProjection)
        .where(col(MentorProjection.supervisor_id) == supervisor_id)
        .order_by(col(MentorProjection.mentor_id))
    )
    return list(rows)
