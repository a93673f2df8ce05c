"""Tasks for people: a coordinator finds a group for a waitlisted patient, a mentor reaches
out … Opened by the rules, closed by the rules when the need passes, or by the person."""

import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from aftercare.follow_up.models import Task
from shared.contracts.envelope import utcnow
from shared.db import get_or_not_found
from shared.errors import Conflict

WAITLISTED = "find_outpatient_group"


async def open_once(
    session: AsyncSession,
    kind: str,
    branch: str,
    patient_ref: str,
    episode_id: str,
    assignee_id: str | None = None,
    now: datetime | None = None,
) -> Task:
    """Open a task of this kind for the episode unless one is open already."""
    existing = await session.scalar(
        select(Task).where(
            col(Task.episode_id) == episode_id, col(Task.kind) == kind, col(Task.status) == "open"
        )
    )
    if existing is not None:
        return existing
    task = Task(
        task_id=f"tk_{secrets.token_hex(10)}",
        kind=kind,
        branch=branch,
        patient_ref=patient_ref,
        episode_id=episode_id,
        assignee_id=assignee_id,
        status="open",
        opened_at=now or utcnow(),
    )
    session.add(task)
    return task


async def close_open(session: AsyncSession, episode_id: str, kind: str, outcome: str) -> None:
    """The need passed: the open task of this kind is done."""
    rows = await session.scalars(
        select(Task).where(
            col(Task.episode_id) == episode_id, col(Task.kind) == kind, col(Task.status) == "open"
        )
    )
    for task in rows:
        task.status, task.closed_at, task.outcome = "done", utcnow(), outcome


async def cancel_all(session: AsyncSession, episode_id: str, reason: str) -> None:
    """Every open task of the episode is cancelled (the enrolment ended)."""
    rows = await session.scalars(
        select(Task).where(col(Task.episode_id) == episode_id, col(Task.status) == "open")
    )
    for task in rows:
        task.status, task.closed_at, task.outcome = "cancelled", utcnow(), reason[:200]


async def finish(session: AsyncSession, task_id: str, outcome: str, now: datetime) -> Task:
    """A person did the task."""
    task = await get_or_not_found(session, Task, task_id, f"task {task_id!r}", for_update=True)
    if task.status != "open":
        raise Conflict(f"the task is {task.status}")
    task.status, task.closed_at, task.outcome = "done", now, outcome
    await session.flush()
    return task
