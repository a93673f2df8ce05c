"""Aftercare use cases: enrol on discharge on its own, cancel when the discharge is undone."""

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from aftercare import domain
from aftercare.models import ConsentProjection, Enrolment, EpisodeProjection, OutpatientGroup
from aftercare.schemas import GroupCreate, GroupUpdate
from shared.contracts.aftercare import (
    AftercareEnrolled,
    AftercareEnrolmentCancelled,
    AftercareWaitlisted,
    EnrolmentState,
)
from shared.contracts.envelope import Event, utcnow
from shared.db import changed_a_row
from shared.errors import Conflict, NotFound
from shared.outbox import stage


def enrolment_state(row: Enrolment) -> EnrolmentState:
    """Event-carried state of an enrolment row."""
    return EnrolmentState.model_validate(row, from_attributes=True)


def _seat(group: OutpatientGroup) -> domain.GroupSeat:
    return domain.GroupSeat(
        group.group_id, group.branch, group.language, group.capacity, group.enrolled
    )


async def _take_seat(session: AsyncSession, group_id: str) -> bool:
    """Claim a seat; the conditional update is the capacity guard."""
    return await changed_a_row(
        session,
        update(OutpatientGroup)
        .where(
            col(OutpatientGroup.group_id) == group_id,
            col(OutpatientGroup.enrolled) < col(OutpatientGroup.capacity),
        )
        .values(enrolled=col(OutpatientGroup.enrolled) + 1),
    )


async def _free_seat(session: AsyncSession, group_id: str) -> None:
    await session.execute(
        update(OutpatientGroup)
        .where(col(OutpatientGroup.group_id) == group_id, col(OutpatientGroup.enrolled) > 0)
        .values(enrolled=col(OutpatientGroup.enrolled) - 1)
    )


async def _place(session: AsyncSession, row: Enrolment) -> bool:
    """Put an enrolment in the best fitting group with room; False if none has room."""
    groups = await session.scalars(
        select(OutpatientGroup).where(
            col(OutpatientGroup.branch) == row.branch,
            col(OutpatientGroup.language) == row.language,
            col(OutpatientGroup.enrolled) < col(OutpatientGroup.capacity),
        )
    )
    seats = [_seat(g) for g in groups]
    while (best := domain.best_group(seats, row.branch, row.language)) is not None:
        if await _take_seat(session, best.group_id):
            row.group_id = best.group_id
            return True
        seats.remove(best)
    return False


def _announce(session: AsyncSession, row: Enrolment, correlation_id: str | None) -> None:
    event_type: type[Event] = {
        "enrolled": AftercareEnrolled,
        "waitlisted": AftercareWaitlisted,
        "cancelled": AftercareEnrolmentCancelled,
    }[row.status]
    stage(
        session,
        event_type.new(enrolment_state(row), branch=row.branch, correlation_id=correlation_id),
    )


async def _enrol(
    session: AsyncSession,
    episode: EpisodeProjection,
    row: Enrolment | None,
    correlation_id: str | None,
) -> None:
    if row is None:
        row = Enrolment(
            enrolment_id=domain.new_enrolment_id(),
            episode_id=episode.episode_id,
            patient_ref=episode.patient_ref,
            branch=episode.branch,
            language=episode.language,
            status="waitlisted",
            version=0,
        )
        session.add(row)
    row.branch, row.language = episode.branch, episode.language
    row.status = "enrolled" if await _place(session, row) else "waitlisted"
    row.reason = None if row.status == "enrolled" else "no fitting group with a free seat"
    row.updated_at = utcnow()
    row.version += 1
    _announce(session, row, correlation_id)
    await session.flush()


async def _cancel(
    session: AsyncSession, row: Enrolment, reason: str, correlation_id: str | None
) -> None:
    freed = row.group_id if row.status == "enrolled" else None
    row.status = "cancelled"
    row.group_id = None
    row.reason = reason
    row.updated_at = utcnow()
    row.version += 1
    _announce(session, row, correlation_id)
    if freed is not None:
        await _free_seat(session, freed)
        await fill_waitlist(session, correlation_id)
    await session.flush()


async def reconcile(session: AsyncSession, episode_id: str, correlation_id: str | None) -> None:
    """Bring an episode's enrolment in line with its state and the patient's consent."""
    episode = await session.get(EpisodeProjection, episode_id)
    if episode is None:
        return
    consent = await session.get(ConsentProjection, episode.patient_ref)
    consent_status = consent.status if consent else None
    row = await session.scalar(select(Enrolment).where(col(Enrolment.episode_id) == episode_id))
    if domain.wants_enrolment(episode.status, consent_status):
        if row is None or row.status == "cancelled":
            await _enrol(session, episode, row, correlation_id)
    elif row is not None and row.status != "cancelled":
        await _cancel(
            session, row, domain.cancel_reason(episode.status, consent_status), correlation_id
        )


async def fill_waitlist(session: AsyncSession, correlation_id: str | None) -> int:
    """Enrol waiting patients, longest wait first, where a fitting group has a seat."""
    waiting = list(
        await session.scalars(
            select(Enrolment)
            .where(col(Enrolment.status) == "waitlisted")
            .order_by(col(Enrolment.updated_at))
            .limit(200)
        )
    )
    placed = 0
    for row in waiting:
        if await _place(session, row):
            row.status, row.reason, row.updated_at = "enrolled", None, utcnow()
            row.version += 1
            _announce(session, row, correlation_id)
            placed += 1
    await session.flush()
    return placed


async def create_group(session: AsyncSession, request: GroupCreate) -> OutpatientGroup:
    """Open a new outpatient group; waiting patients who fit are enrolled at once."""
    group_id = request.group_id or domain.new_group_id()
    if await session.get(OutpatientGroup, group_id) is not None:
        raise Conflict(f"group {group_id!r} already exists")
    group = OutpatientGroup(group_id=group_id, **request.model_dump(exclude={"group_id"}))
    session.add(group)
    await session.flush()
    await fill_waitlist(session, None)
    await session.refresh(group)
    return group


async def update_group(
    session: AsyncSession, group_id: str, request: GroupUpdate
) -> OutpatientGroup:
    """Change a group; added seats go to the waitlist."""
    group = await session.get(OutpatientGroup, group_id)
    if group is None:
        raise NotFound(f"no group {group_id!r}")
    for field, value in request.model_dump(exclude_unset=True).items():
        setattr(group, field, value)
    await session.flush()
    await fill_waitlist(session, None)
    await session.refresh(group)
    return group
