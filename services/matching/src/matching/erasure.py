"""Erasure at the patient's request, as matching carries it out: what the patient asked for
in a mentor, their risk assessments and the conflicts mentors declared about them are deleted;
matches stay, under the pseudonymous patient_ref (consent was withdrawn first, so they ended)."""

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from matching.audit import AuditRecord
from matching.patients.models import (
    EpisodeProjection,
    EpisodeRisk,
    MentorExclusion,
    PatientPreferences,
)
from shared.audit import erasure_row
from shared.contracts.envelope import Event


async def on_patient_erased(session: AsyncSession, event: Event) -> None:
    """Delete what matching holds about the patient beyond the bare facts of matching."""
    ref = event.data.patient_ref
    episodes = select(col(EpisodeProjection.episode_id)).where(
        col(EpisodeProjection.patient_ref) == ref
    )
    await session.execute(delete(EpisodeRisk).where(col(EpisodeRisk.episode_id).in_(episodes)))
    await session.execute(
        delete(PatientPreferences).where(col(PatientPreferences.patient_ref) == ref)
    )
    await session.execute(delete(MentorExclusion).where(col(MentorExclusion.patient_ref) == ref))
    session.add(erasure_row(AuditRecord, ref, event.type))
