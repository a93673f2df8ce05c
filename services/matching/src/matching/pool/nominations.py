"""Aftercare's nominations: a certified alumnus joins the pool as a trainee."""

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from matching.pool.handlers import set_certifications, set_links
from matching.pool.index import note_change
from matching.pool.mentor_links import own_patient_ref
from matching.pool.models import Mentor
from matching.pool.profiles import announce
from matching.pool.schemas import Certification
from shared.contracts.aftercare import PeerCandidateState
from shared.contracts.envelope import Event, utcnow

NOMINATED_NAME = "Nominated alumnus (the coordinator adds the name)"


async def apply_nomination(
    session: AsyncSession, event: Event, core: Sequence[str], crisis_kind: str
) -> None:
    """Aftercare nominated a certified alumnus: they join the pool as a trainee (a coordinator
    makes them active); a withdrawn nomination retires a trainee. Older versions are ignored."""
    state: PeerCandidateState = event.data
    mentor_id = f"mn-{state.nomination_id}"[:40]
    mentor = await session.get(Mentor, mentor_id)
    if mentor is not None and (mentor.nomination_version or 0) >= state.version:
        return
    if mentor is None:
        if state.status == "withdrawn":
            return
        mentor = Mentor(
            mentor_id=mentor_id,
            display_name=NOMINATED_NAME,
            lived_experience=list(state.lived_experience),
            capacity=0,
            status="trainee",
            nominated_patient_ref=state.patient_ref,
            nomination_version=state.version,
        )
        mentor.former_patient_ref = await own_patient_ref(session, mentor)
        session.add(mentor)
        await session.flush()
        note_change(session, mentor_id)
        await set_links(session, mentor_id, state.languages, [state.branch])
        given = [Certification.model_validate(c.model_dump()) for c in state.certifications]
        await set_certifications(session, mentor, given, core, crisis_kind)
        await announce(session, mentor)
        return
    mentor.nomination_version = state.version
    if state.status == "withdrawn" and mentor.status == "trainee":
        note_change(session, mentor_id)
        mentor.status = "retired"
        mentor.version += 1
        mentor.updated_at = utcnow()
        await announce(session, mentor)
