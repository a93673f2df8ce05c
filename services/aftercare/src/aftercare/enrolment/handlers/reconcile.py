"""Aftercare use cases: enrol on discharge on its own (the best fitting outpatient group, or
the waitlist and a coordinator's task), cancel when the discharge is undone."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from aftercare import domain, follow_ups, readmissions, tasks
from aftercare.config import AftercareSettings
from aftercare.models import (
    AftercareWish,
    ConsentProjection,
    Enrolment,
    EpisodeProjection,
    MatchProjection,
    OutpatientGroup,
)
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
EARLIEST = datetime.min.replace(tzinfo=UTC)


def enrolment_state(row: Enrolment) -> EnrolmentState:
    """Event-carried state of an enrolment row."""
    return EnrolmentState.model_validate(row, from_attributes=True)


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


async def _place(
    session: AsyncSession, row: Enrolment, settings: AftercareSettings, mentors_only: bool = False
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
    today = now.astimezone(ZoneInfo(settings.branch_timezone)).date()
    while (
        best := domain.best_group(
            seats, wish, settings.branch_distances_km, settings.max_travel_km, today
        )
    ) is not None:
        if await _take_seat(session, best.group_id):
            row.group_id = best.group_id
            row.enrolled_at = row.enrolled_at or now
            await _expect_first_attendance(session, row, settings, now)
            return True
        seats.remove(best)
    return False


async def _expect_first_attendance(
    session: AsyncSession, row: Enrolment, settings: AftercareSettings, now: datetime
) -> None:
    """Outreach is due a grace after the group's next meeting ends, unless they come."""
    group = await session.get(OutpatientGroup, row.group_id)
    if group is None or row.first_attended_at is not None:
        return
    start = domain.next_meeting(
        group.weekday, group.start_time, ZoneInfo(settings.branch_timezone), now
    )
    row.outreach_due_at = start + timedelta(
        minutes=group.minutes, hours=settings.first_attendance_grace_h
    )


async def follow_mentor(
    session: AsyncSession, episode_id: str, settings: AftercareSettings, correlation_id: str | None
) -> None:
    """The match goes on past discharge (matching says so after the discharge, so usually
    after the enrolment): a patient who has not come to their group yet moves to a group
    their mentor facilitates, if one fits, and the mentor is the one who reaches out."""
    row = await session.scalar(
        select(Enrolment).where(
            col(Enrolment.episode_id) == episode_id,
            col(Enrolment.status).in_(("enrolled", "waitlisted")),
        )
    )
    if row is None:
        return
    if row.status == "waitlisted":
        await fill_waitlist(session, settings, correlation_id)
        return
    if row.first_attended_at is not None:
        # They have come to their group already: the mentor reaches out, nobody moves.
        row.mentor_id = await continuing_mentor(session, episode_id, utcnow())
        await session.flush()
        return
    before = row.group_id
    if await _place(session, row, settings, mentors_only=True) and before is not None:
        await free_seat(session, before)
        row.updated_at = utcnow()
        row.version += 1
        _announce(session, row, correlation_id)
    await session.flush()


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


async def place_or_wait(
    session: AsyncSession,
    row: Enrolment,
    settings: AftercareSettings,
    correlation_id: str | None,
) -> None:
    """Enrol in the best fitting group, or waitlist with a task for the branch's coordinators
    (closed by itself once a place is found)."""
    row.group_id = None
    if await _place(session, row, settings):
        await _now_enrolled(session, row, correlation_id)
    else:
        row.status, row.reason = "waitlisted", "no fitting outpatient group with a free place"
        row.updated_at = utcnow()
        row.version += 1
        _announce(session, row, correlation_id)
        await tasks.open_once(
            session, tasks.WAITLISTED, row.branch, row.patient_ref, row.episode_id
        )
    await session.flush()


async def _now_enrolled(session: AsyncSession, row: Enrolment, correlation_id: str | None) -> None:
    """A place was found: announce it, and the coordinators' waitlist task is done."""
    row.status, row.reason, row.updated_at = "enrolled", None, utcnow()
    row.version += 1
    _announce(session, row, correlation_id)
    await tasks.close_open(session, row.episode_id, tasks.WAITLISTED, "enrolled")


async def _enrol(
    session: AsyncSession,
    episode: EpisodeProjection,
    row: Enrolment | None,
    settings: AftercareSettings,
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
    await follow_ups.schedule(session, episode, settings.follow_up_windows_s)
    await place_or_wait(session, row, settings, correlation_id)


async def cancel(
    session: AsyncSession,
    row: Enrolment,
    reason: str,
    settings: AftercareSettings,
    correlation_id: str | None,
) -> None:
    """End an enrolment (its place goes to the waitlist) and the tasks that came with it."""
    freed = row.group_id if row.status == "enrolled" else None
    row.status = "cancelled"
    row.group_id = None
    row.reason = reason
    row.updated_at = utcnow()
    row.version += 1
    _announce(session, row, correlation_id)
    await tasks.cancel_all(session, row.episode_id, reason)
    await follow_ups.cancel_for(session, row.episode_id, reason)
    if freed is not None:
        await free_seat(session, freed)
        await fill_waitlist(session, settings, correlation_id)
    await session.flush()


async def reconcile(
    session: AsyncSession,
    episode_id: str,
    correlation_id: str | None,
    settings: AftercareSettings,
) -> None:
    """Bring the patient's enrolments in line with their stays, dispositions and each stay's
    consent: only the latest stay, once discharged with its consent given, is enrolled (a
    readmission, at any branch, ends the enrolment and follow-ups of the stay before it, and
    within 30 days is linked to it)."""
    episode = await session.get(EpisodeProjection, episode_id)
    if episode is None:
        return
    stays = list(
        await session.scalars(
            select(EpisodeProjection).where(
                col(EpisodeProjection.patient_ref) == episode.patient_ref
            )
        )
    )
    # A cancelled admission never happened: the stay before it is the latest again.
    real = [e for e in stays if e.status != "cancelled"] or stays
    latest = max(real, key=lambda e: (e.admitted_at or EARLIEST, e.episode_id))
    if episode.status == "admitted":
        await readmissions.link(session, episode, settings.readmission_window_days)
    excluded = frozenset(d.lower() for d in settings.no_enrolment_dispositions)
    for stay in stays:
        consent = await session.get(ConsentProjection, stay.episode_id)
        consent_status = consent.status if consent else None
        row = await session.scalar(
            select(Enrolment).where(col(Enrolment.episode_id) == stay.episode_id)
        )
        wanted = stay is latest and domain.wants_enrolment(
            stay.status, consent_status, stay.disposition, excluded
        )
        # A patient who dropped out is not enrolled again by a later event of this stay.
        renew = row is None or (row.status == "cancelled" and not domain.dropped_out(row.reason))
        if wanted and renew:
            await _enrol(session, stay, row, settings, correlation_id)
        elif not wanted and row is not None and row.status != "cancelled":
            reason = (
                "readmitted"
                if stay is not latest
                else domain.cancel_reason(stay.status, consent_status)
            )
            await cancel(session, row, reason, settings, correlation_id)


async def fill_waitlist(
    session: AsyncSession, settings: AftercareSettings, correlation_id: str | None
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
        if await _place(session, row, settings):
            await _now_enrolled(session, row, correlation_id)
            placed += 1
    await session.flush()
    return placed
