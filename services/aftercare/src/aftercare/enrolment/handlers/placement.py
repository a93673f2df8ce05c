"""Placing an enrolment: the best fitting outpatient group with a free place (its count,
guarded by a conditional update, is the capacity check), or the waitlist and a coordinator's
task until a place is found."""

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from aftercare.enrolment import domain
from aftercare.enrolment.models import AftercareWish, Enrolment, MatchProjection, OutpatientGroup
from aftercare.enrolment.options import EnrolmentOptions
from aftercare.follow_up.handlers import first_attendance, tasks
from shared.contracts.aftercare import (
    AftercareEnrolled,
    AftercareEnrolmentCancelled,
    AftercareWaitlisted,
    EnrolmentState,
)
from shared.contracts.envelope import Event, utcnow
from shared.db import changed_a_row
from shared.outbox import stage

WAITLIST_BATCH = 200


def enrolment_state(row: Enrolment) -> EnrolmentState:
    """Event-carried state of an enrolment row."""
    return EnrolmentState.model_validate(row, from_attributes=True)


def announce(session: AsyncSession, row: Enrolment, correlation_id: str | None) -> None:
    """Stage the event that tells the enrolment's new state (enrolled, waitlisted, cancelled)."""
    event_type: type[Event] = {
        "enrolled": AftercareEnrolled,
        "waitlisted": AftercareWaitlisted,
        "cancelled": AftercareEnrolmentCancelled,
    }[row.status]
    stage(
        session,
        event_type.new(enrolment_state(row), branch=row.branch, correlation_id=correlation_id),
    )


def _seat(group: OutpatientGroup) -> domain.GroupSeat:
    return domain.GroupSeat(
        group.group_id,
        group.branch,
        group.language,
        group.focus,
        group.capacity,
        group.enrolled,
        group.weekday,
        tuple(group.facilitator_ids),
    )


async def _take_seat(session: AsyncSession, group_id: str) -> bool:
    """Claim a place; the conditional update is the capacity guard."""
    return await changed_a_row(
        session,
        update(OutpatientGroup)
        .where(
            col(OutpatientGroup.group_id) == group_id,
            col(OutpatientGroup.status) == "active",
            col(OutpatientGroup.enrolled) < col(OutpatientGroup.capacity),
        )
        .values(enrolled=col(OutpatientGroup.enrolled) + 1),
    )


async def free_seat(session: AsyncSession, group_id: str) -> None:
    """Give a place back."""
    await session.execute(
        update(OutpatientGroup)
        .where(col(OutpatientGroup.group_id) == group_id, col(OutpatientGroup.enrolled) > 0)
        .values(enrolled=col(OutpatientGroup.enrolled) - 1)
    )


async def continuing_mentor(session: AsyncSession, episode_id: str, now: datetime) -> str | None:
    """The mentor whose match goes on past this discharge, if any."""
    return await session.scalar(
        select(col(MatchProjection.mentor_id)).where(
            col(MatchProjection.episode_id) == episode_id,
            col(MatchProjection.status) == "active",
            col(MatchProjection.continues_until) > now,
        )
    )


async def _wish(session: AsyncSession, row: Enrolment, mentor_id: str | None) -> domain.Wish:
    wish = await session.get(AftercareWish, row.patient_ref)
    return domain.Wish(
        language=row.language,
        home_branch=(wish.home_branch if wish else None) or row.branch,
        focus=tuple(wish.focus) if wish else (),
        mentor_id=mentor_id,
    )


async def place(
    session: AsyncSession, row: Enrolment, options: EnrolmentOptions, mentors_only: bool = False
) -> bool:
    """Put an enrolment in the best fitting group with room; False if none has room. With
    `mentors_only`, only a group of the continuing mentor other than the current one will do."""
    now = utcnow()
    row.mentor_id = await continuing_mentor(session, row.episode_id, now)
    wish = await _wish(session, row, row.mentor_id)
    groups = await session.scalars(
        select(OutpatientGroup).where(
            col(OutpatientGroup.language) == row.language,
            col(OutpatientGroup.status) == "active",
            col(OutpatientGroup.enrolled) < col(OutpatientGroup.capacity),
        )
    )
    seats = [_seat(g) for g in groups]
    if mentors_only:
        seats = [
            s for s in seats if row.mentor_id in s.facilitator_ids and s.group_id != row.group_id
        ]
    today = now.astimezone(options.branch_tz).date()
    while (
        best := domain.best_group(
            seats, wish, options.branch_distances_km, options.max_travel_km, today
        )
    ) is not None:
        if await _take_seat(session, best.group_id):
            row.group_id = best.group_id
            row.enrolled_at = row.enrolled_at or now
            await first_attendance.expect(
                session, row, options.branch_tz, options.first_attendance_grace_h, now
            )
            return True
        seats.remove(best)
    return False


async def place_or_wait(
    session: AsyncSession,
    row: Enrolment,
    options: EnrolmentOptions,
    correlation_id: str | None,
) -> None:
    """Enrol in the best fitting group, or waitlist with a task for the branch's coordinators
    (closed by itself once a place is found)."""
    row.group_id = None
    if await place(session, row, options):
        await _now_enrolled(session, row, correlation_id)
    else:
        row.status, row.reason = "waitlisted", "no fitting outpatient group with a free place"
        row.updated_at = utcnow()
        row.version += 1
        announce(session, row, correlation_id)
        await tasks.open_once(
            session, tasks.WAITLISTED, row.branch, row.patient_ref, row.episode_id
        )
    await session.flush()


async def _now_enrolled(session: AsyncSession, row: Enrolment, correlation_id: str | None) -> None:
    """A place was found: announce it, and the coordinators' waitlist task is done."""
    row.status, row.reason, row.updated_at = "enrolled", None, utcnow()
    row.version += 1
    announce(session, row, correlation_id)
    await tasks.close_open(session, row.episode_id, tasks.WAITLISTED, "enrolled")


async def fill_waitlist(
    session: AsyncSession, options: EnrolmentOptions, correlation_id: str | None
) -> int:
    """Enrol waiting patients, longest wait first, where a fitting group has a place."""
    waiting = list(
        await session.scalars(
            select(Enrolment)
            .where(col(Enrolment.status) == "waitlisted")
            .order_by(col(Enrolment.updated_at))
            .limit(WAITLIST_BATCH)
        )
    )
    placed = 0
    for row in waiting:
        if await place(session, row, options):
            await _now_enrolled(session, row, correlation_id)
            placed += 1
    await session.flush()
    return placed
