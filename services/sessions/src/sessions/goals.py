"""Recovery goals: the patient sets them with their mentor, checks in on progress, and closes
them as achieved, changed or dropped."""

import secrets
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from sessions.models import Goal, GoalCheckIn, MatchProjection
from sessions.schemas import CheckInRequest, CloseGoalRequest, GoalRequest
from shared.contracts.envelope import Event
from shared.contracts.sessions import GoalClosed, GoalProgressed, GoalSet, GoalState
from shared.db import get_or_not_found
from shared.errors import Conflict
from shared.outbox import stage


def _publish(session: AsyncSession, event_cls: type[Event], row: Goal, branch: str) -> None:
    stage(
        session, event_cls.new(GoalState.model_validate(row, from_attributes=True), branch=branch)
    )


async def _match(session: AsyncSession, match_id: str) -> MatchProjection:
    return await get_or_not_found(session, MatchProjection, match_id, f"match {match_id!r}")


async def set_goal(session: AsyncSession, request: GoalRequest, now: datetime) -> Goal:
    """A new goal for the patient of an active match."""
    match = await _match(session, request.match_id)
    if match.status != "active":
        raise Conflict(f"the match is {match.status}; goals are set within an active match")
    row = Goal(
        goal_id=f"gl_{secrets.token_hex(10)}",
        match_id=match.match_id,
        patient_ref=match.patient_ref,
        mentor_id=match.mentor_id,
        what=request.what,
        why=request.why,
        steps=list(request.steps),
        target_date=request.target_date,
        status="active",
        set_at=now,
    )
    session.add(row)
    _publish(session, GoalSet, row, match.branch)
    await session.flush()
    return row


async def _active(session: AsyncSession, goal_id: str) -> Goal:
    row = await get_or_not_found(session, Goal, goal_id, f"goal {goal_id!r}", for_update=True)
    if row.status != "active":
        raise Conflict(f"the goal is {row.status}; only an active goal changes")
    return row


async def check_in(
    session: AsyncSession, goal_id: str, request: CheckInRequest, now: datetime
) -> Goal:
    """Record progress (0-100) and a short peer note."""
    row = await _active(session, goal_id)
    session.add(
        GoalCheckIn(
            check_in_id=f"gc_{secrets.token_hex(10)}",
            goal_id=goal_id,
            at=now,
            progress=request.progress,
            note=request.note,
        )
    )
    row.progress = request.progress
    row.version += 1
    _publish(session, GoalProgressed, row, (await _match(session, row.match_id)).branch)
    await session.flush()
    return row


async def close(
    session: AsyncSession, goal_id: str, request: CloseGoalRequest, now: datetime
) -> Goal:
    """Close a goal: achieved, changed (for a new one) or dropped."""
    row = await _active(session, goal_id)
    row.status, row.closed_at, row.closed_reason = request.status, now, request.reason
    if request.status == "achieved":
        row.progress = 100
    row.version += 1
    _publish(session, GoalClosed, row, (await _match(session, row.match_id)).branch)
    await session.flush()
    return row
