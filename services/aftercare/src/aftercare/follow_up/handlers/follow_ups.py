"""Follow-up contacts at 7 and 30 days after discharge: scheduled with the enrolment, completed
by a contact that reaches the patient after the discharge day, missed (with a task) when the
window closes. The window's end is a row swept by a periodic job: it fires once across
restarts and replicas."""

import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta, tzinfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from aftercare.enrolment.models import Enrolment, EpisodeProjection
from aftercare.follow_up import domain
from aftercare.follow_up.handlers import tasks
from aftercare.follow_up.models import FollowUp, FollowUpContact
from shared.contracts.aftercare import FollowUpCompleted, FollowUpMissed, FollowUpState
from shared.contracts.envelope import Event
from shared.db import get_or_not_found
from shared.errors import Conflict, Invalid
from shared.outbox import stage

MISSED = "follow_up_missed"
SWEEP_BATCH = 500


def _publish(session: AsyncSession, event_cls: type[Event], row: FollowUp) -> None:
    state = FollowUpState.model_validate(row, from_attributes=True)
    stage(session, event_cls.new(state, branch=row.branch))


async def schedule(
    session: AsyncSession, episode: EpisodeProjection, windows_s: Mapping[str, float]
) -> None:
    """The 7- and 30-day follow-ups of a discharge (once per discharge)."""
    discharged_at = episode.discharged_at
    if discharged_at is None:
        return
    standing = set(
        await session.scalars(
            select(col(FollowUp.kind)).where(
                col(FollowUp.episode_id) == episode.episode_id, col(FollowUp.status) != "cancelled"
            )
        )
    )
    for kind, seconds in windows_s.items():
        if kind in standing:
            continue
        session.add(
            FollowUp(
                follow_up_id=f"fu_{secrets.token_hex(10)}",
                episode_id=episode.episode_id,
                patient_ref=episode.patient_ref,
                branch=episode.branch,
                kind=kind,
                discharged_at=discharged_at,
                due_by=discharged_at + timedelta(seconds=seconds),
                status="due",
            )
        )


async def cancel_for(session: AsyncSession, episode_id: str, reason: str) -> None:
    """The discharge was undone, consent withdrawn or the patient readmitted: the follow-ups
    still due lapse."""
    rows = await session.scalars(
        select(FollowUp).where(
            col(FollowUp.episode_id) == episode_id, col(FollowUp.status) == "due"
        )
    )
    for row in rows:
        row.status, row.closed_reason = "cancelled", reason[:200]
        row.version += 1


async def record_contact(
    session: AsyncSession,
    follow_up_id: str,
    *,
    at: datetime,
    reached: bool,
    channel: str,
    by: str,
    tz: tzinfo,
    now: datetime,
) -> tuple[FollowUp, FollowUpContact]:
    """Record a try to reach the patient; one that reaches them in the window completes the
    follow-up. A contact on the discharge day, after the window or ahead of time is refused."""
    row = await get_or_not_found(
        session, FollowUp, follow_up_id, f"follow-up {follow_up_id!r}", for_update=True
    )
    if row.status != "due":
        raise Conflict(f"the follow-up is {row.status}")
    why = domain.why_contact_does_not_count(at, row.discharged_at, row.due_by, tz, now)
    if why:
        raise Invalid(why)
    contact = FollowUpContact(
        contact_id=f"fc_{secrets.token_hex(10)}",
        follow_up_id=follow_up_id,
        at=at,
        reached=reached,
        channel=channel,
        by=by,
        counted=reached,
    )
    session.add(contact)
    if reached:
        row.status, row.completed_at = "completed", at
        row.version += 1
        _publish(session, FollowUpCompleted, row)
    await session.flush()
    return row, contact


async def sweep_missed(session: AsyncSession, now: datetime) -> int:
    """Follow-ups whose window closed without a contact are missed; each opens a task for the
    patient's mentor (or the branch's coordinators)."""
    due = await session.scalars(
        select(FollowUp)
        .where(col(FollowUp.status) == "due", col(FollowUp.due_by) < now)
        .order_by(col(FollowUp.due_by))
        .limit(SWEEP_BATCH)
        .with_for_update(skip_locked=True)
    )
    count = 0
    for row in list(due):
        row.status = "missed"
        row.version += 1
        _publish(session, FollowUpMissed, row)
        mentor = await session.scalar(
            select(col(Enrolment.mentor_id)).where(col(Enrolment.episode_id) == row.episode_id)
        )
        await tasks.open_once(
            session, MISSED, row.branch, row.patient_ref, row.episode_id, mentor, now
        )
        count += 1
    return count
