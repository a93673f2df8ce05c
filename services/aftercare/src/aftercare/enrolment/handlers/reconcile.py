"""Enrolment with nobody pressing a button: each of the patient's stays brought in line with
intake's state (enrol the latest stay once discharged with consent, cancel what no longer
stands), and cancelling, which ends the tasks and follow-ups that came with an enrolment."""

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from aftercare.enrolment import domain
from aftercare.enrolment.handlers import readmissions
from aftercare.enrolment.handlers.placement import (
    announce,
    fill_waitlist,
    free_seat,
    place_or_wait,
)
from aftercare.enrolment.models import ConsentProjection, Enrolment, EpisodeProjection
from aftercare.enrolment.options import EnrolmentOptions
from aftercare.follow_up.handlers import follow_ups, tasks
from shared.contracts.envelope import utcnow

EARLIEST = datetime.min.replace(tzinfo=UTC)


async def _enrol(
    session: AsyncSession,
    episode: EpisodeProjection,
    row: Enrolment | None,
    options: EnrolmentOptions,
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
    await follow_ups.schedule(session, episode, options.follow_up_windows_s)
    await place_or_wait(session, row, options, correlation_id)


async def cancel(
    session: AsyncSession,
    row: Enrolment,
    reason: str,
    options: EnrolmentOptions,
    correlation_id: str | None,
) -> None:
    """End an enrolment (its place goes to the waitlist) and the tasks that came with it."""
    freed = row.group_id if row.status == "enrolled" else None
    row.status = "cancelled"
    row.group_id = None
    row.reason = reason
    row.updated_at = utcnow()
    row.version += 1
    announce(session, row, correlation_id)
    await tasks.cancel_all(session, row.episode_id, reason)
    await follow_ups.cancel_for(session, row.episode_id, reason)
    if freed is not None:
        await free_seat(session, freed)
        await fill_waitlist(session, options, correlation_id)
    await session.flush()


async def reconcile(
    session: AsyncSession,
    episode_id: str,
    correlation_id: str | None,
    options: EnrolmentOptions,
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
        await readmissions.link(session, episode, options.readmission_window_days)
    for stay in stays:
        consent = await session.get(ConsentProjection, stay.episode_id)
        consent_status = consent.status if consent else None
        row = await session.scalar(
            select(Enrolment).where(col(Enrolment.episode_id) == stay.episode_id)
        )
        wanted = stay is latest and domain.wants_enrolment(
            stay.status, consent_status, stay.disposition, options.excluded_dispositions
        )
        # A patient who dropped out is not enrolled again by a later event of this stay.
        renew = row is None or (row.status == "cancelled" and not domain.dropped_out(row.reason))
        if wanted and renew:
            await _enrol(session, stay, row, options, correlation_id)
        elif not wanted and row is not None and row.status != "cancelled":
            reason = (
                "readmitted"
                if stay is not latest
                else domain.cancel_reason(stay.status, consent_status)
            )
            await cancel(session, row, reason, options, correlation_id)
