"""Admissions matching has nothing to do for yet: a new stay with no consent recorded, whose
patient holds no match (so no continuation to end) and is no mentor (so no mentees to
release). Reconciling one of them changes nothing, so a batch only records the episode."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from matching.matches.models import Match
from matching.patients.models import ConsentProjection
from matching.pool.models import Mentor
from matching.waitlist.models import WaitlistEntry
from shared.contracts.intake import EpisodeState


async def quiet_admissions(session: AsyncSession, states: Sequence[EpisodeState]) -> set[str]:
    """Ids of these new admitted episodes whose reconcile would change nothing (four queries
    for the whole run)."""
    ids = {s.episode_id for s in states}
    refs = {s.patient_ref for s in states}
    busy_ids = set(
        await session.scalars(
            select(col(ConsentProjection.episode_id)).where(
                col(ConsentProjection.episode_id).in_(ids)
            )
        )
    )
    busy_ids |= set(
        await session.scalars(
            select(col(WaitlistEntry.episode_id)).where(col(WaitlistEntry.episode_id).in_(ids))
        )
    )
    busy_refs = set(
        await session.scalars(
            select(col(Match.patient_ref)).where(col(Match.patient_ref).in_(refs))
        )
    )
    busy_refs |= {
        str(ref)
        for ref in await session.scalars(
            select(col(Mentor.former_patient_ref)).where(col(Mentor.former_patient_ref).in_(refs))
        )
    }
    return {
        s.episode_id
        for s in states
        if s.status == "admitted"
        and s.episode_id not in busy_ids
        and s.patient_ref not in busy_refs
    }
