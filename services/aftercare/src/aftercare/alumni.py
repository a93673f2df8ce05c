"""Completing aftercare: enough outpatient meetings attended (or a coordinator's word) makes
the patient an alumnus; alumni gatherings are sessions' alumni groups."""

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from aftercare.models import Alumnus, Enrolment
from shared.contracts.aftercare import AlumnusJoined, AlumnusState
from shared.outbox import stage


async def complete(session: AsyncSession, row: Enrolment, now: datetime) -> Alumnus:
    """The patient completed the programme: they join the alumni (once)."""
    row.completed_at = row.completed_at or now
    alumnus = await session.get(Alumnus, row.patient_ref)
    if alumnus is not None:
        return alumnus
    alumnus = Alumnus(
        patient_ref=row.patient_ref,
        branch=row.branch,
        completed_episode_id=row.episode_id,
        joined_at=now,
    )
    session.add(alumnus)
    state = AlumnusState.model_validate(alumnus, from_attributes=True)
    stage(session, AlumnusJoined.new(state, branch=row.branch))
    return alumnus
