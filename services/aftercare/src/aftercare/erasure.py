"""Erasure at the patient's request, as aftercare carries it out: their aftercare wish and
the lived experience a mentor candidacy recorded are erased; enrolments, follow-ups and
outcomes stay as counts under the pseudonymous patient_ref."""

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from aftercare.alumni.models import Candidate
from aftercare.audit import AuditRecord
from aftercare.enrolment.models import AftercareWish
from shared.audit import erasure_row
from shared.contracts.envelope import Event


async def on_patient_erased(session: AsyncSession, event: Event) -> None:
    """Delete the patient's wish; clear what their candidacy says about their health."""
    ref = event.data.patient_ref
    await session.execute(delete(AftercareWish).where(col(AftercareWish.patient_ref) == ref))
    await session.execute(
        update(Candidate).where(col(Candidate.patient_ref) == ref).values(lived_experience=[])
    )
    session.add(erasure_row(AuditRecord, ref, event.type))
