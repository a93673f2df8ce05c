"""Readmission within 30 days, at any branch, linked to the stay it follows."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from aftercare.enrolment import domain
from aftercare.enrolment.models import EpisodeProjection, Readmission
from shared.contracts.aftercare import ReadmissionLinked, ReadmissionState
from shared.outbox import stage


async def link(
    session: AsyncSession, episode: EpisodeProjection, window_days: int
) -> Readmission | None:
    """Link an admission to the patient's latest discharge within the window (once); the
    link, or None."""
    if episode.admitted_at is None:
        return None
    existing = await session.get(Readmission, episode.episode_id)
    if existing is not None:
        return existing
    previous = await session.scalar(
        select(EpisodeProjection)
        .where(
            col(EpisodeProjection.patient_ref) == episode.patient_ref,
            col(EpisodeProjection.episode_id) != episode.episode_id,
            col(EpisodeProjection.status) == "discharged",
            col(EpisodeProjection.discharged_at) <= episode.admitted_at,
        )
        .order_by(col(EpisodeProjection.discharged_at).desc())
        .limit(1)
    )
    if previous is None or previous.discharged_at is None:
        return None
    days = domain.readmission_days(previous.discharged_at, episode.admitted_at, window_days)
    if days is None:
        return None
    row = Readmission(
        episode_id=episode.episode_id,
        previous_episode_id=previous.episode_id,
        patient_ref=episode.patient_ref,
        branch=episode.branch,
        previous_branch=previous.branch,
        days_since_discharge=days,
        admitted_at=episode.admitted_at,
    )
    session.add(row)
    state = ReadmissionState(version=1, **row.model_dump())
    stage(session, ReadmissionLinked.new(state, branch=episode.branch))
    return row
