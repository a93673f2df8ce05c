"""Erasure at the patient's request, as sessions carries it out: peer notes, goals' words,
check-in notes, crisis summaries and resolutions, and questionnaire answers are erased; the
facts that sessions happened stay, under the pseudonymous patient_ref."""

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from sessions.audit import AuditRecord
from sessions.calendar.models import PeerSession
from sessions.crisis.models import Crisis
from sessions.recovery.models import Goal, GoalCheckIn, QuestionnaireResponse
from shared.audit import erasure_row
from shared.contracts.envelope import Event

ERASED = "[erased]"


async def on_patient_erased(session: AsyncSession, event: Event) -> None:
    """Erase what sessions holds in the patient's words or about their health."""
    ref = event.data.patient_ref
    await session.execute(
        update(PeerSession).where(col(PeerSession.patient_ref) == ref).values(note=None)
    )
    goals = select(col(Goal.goal_id)).where(col(Goal.patient_ref) == ref)
    await session.execute(
        update(GoalCheckIn).where(col(GoalCheckIn.goal_id).in_(goals)).values(note=None)
    )
    await session.execute(
        update(Goal)
        .where(col(Goal.patient_ref) == ref)
        .values(what=ERASED, why=ERASED, steps=[], closed_reason=None)
    )
    await session.execute(
        update(Crisis).where(col(Crisis.patient_ref) == ref).values(summary=None, resolution=None)
    )
    await session.execute(
        delete(QuestionnaireResponse).where(col(QuestionnaireResponse.patient_ref) == ref)
    )
    session.add(erasure_row(AuditRecord, ref, event.type))
