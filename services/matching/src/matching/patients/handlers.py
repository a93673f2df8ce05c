"""What coordinators and clinicians record about a patient for matching: the preferences the
patient expressed, the clinician's risk assessment, and conflicts of interest mentors declare.
Each change is checked against the patient's current match at once."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from matching.matches import domain
from matching.matches.end import active_matches_of
from matching.matches.reconcile import reconcile
from matching.patients.models import (
    ConsentProjection,
    EpisodeProjection,
    EpisodeRisk,
    MentorExclusion,
    PatientPreferences,
)
from matching.patients.schemas import ConflictRequest, PreferencesRequest, RiskRequest
from matching.pool.models import Mentor
from shared.contracts.envelope import utcnow
from shared.db import get_or_not_found
from shared.errors import Conflict, NotFound
from shared.intake_projection import REFUSED, current_consent

DECLARED_CONFLICT = "declared conflict"


async def _recheck_patient(session: AsyncSession, patient_ref: str, policy: domain.Policy) -> None:
    episodes = await session.scalars(
        select(col(EpisodeProjection.episode_id)).where(
            col(EpisodeProjection.patient_ref) == patient_ref,
            col(EpisodeProjection.status) == "admitted",
        )
    )
    for episode_id in list(episodes):
        await reconcile(session, episode_id, None, policy)


async def record_preferences(
    session: AsyncSession, patient_ref: str, request: PreferencesRequest, policy: domain.Policy
) -> PatientPreferences:
    """Record what the patient asked for in a mentor, as part of the consent conversation:
    for a patient matching knows (an episode reached it), not after they declined or withdrew
    consent (their current answer). They are used only while consent is given; recorded before
    consent, they shape the first match. A gender asked for is a hard rule (a current mentor of
    another gender is replaced); the rest weigh in the next match."""
    answer = await current_consent(session, EpisodeProjection, ConsentProjection, patient_ref)
    if answer in REFUSED:
        raise Conflict(f"the patient's consent to peer support is {answer}: nothing is recorded")
    known = await session.scalar(
        select(col(EpisodeProjection.episode_id))
        .where(col(EpisodeProjection.patient_ref) == patient_ref)
        .limit(1)
    )
    if known is None:
        raise NotFound(f"matching has no episode of patient {patient_ref!r} yet")
    row = await session.get(PatientPreferences, patient_ref, with_for_update=True)
    values = request.model_dump()
    if row is None:
        row = PatientPreferences(patient_ref=patient_ref, **values)
        session.add(row)
    else:
        for name, value in values.items():
            setattr(row, name, value)
        row.version += 1
        row.updated_at = utcnow()
    await session.flush()
    await _recheck_patient(session, patient_ref, policy)
    return row


async def assess_risk(
    session: AsyncSession, episode_id: str, request: RiskRequest, policy: domain.Policy
) -> EpisodeRisk:
    """Record a clinician's risk assessment; a high-risk patient whose mentor is not certified
    in crisis response is matched again."""
    what = f"episode {episode_id!r} (intake has not reported it to matching)"
    await get_or_not_found(session, EpisodeProjection, episode_id, what)
    row = await session.get(EpisodeRisk, episode_id, with_for_update=True)
    if row is None:
        row = EpisodeRisk(episode_id=episode_id, **request.model_dump())
        session.add(row)
    else:
        row.level, row.assessed_by = request.level, request.assessed_by
        row.assessed_at = utcnow()
        row.version += 1
    await session.flush()
    await reconcile(session, episode_id, None, policy)
    return row


async def declare_conflict(
    session: AsyncSession, mentor_id: str, request: ConflictRequest, policy: domain.Policy
) -> MentorExclusion:
    """A mentor declares a conflict of interest with a patient (a relative, a neighbour …):
    they are never matched, and a current match between them ends."""
    await get_or_not_found(session, Mentor, mentor_id, f"mentor {mentor_id!r}")
    row = await session.get(MentorExclusion, (request.patient_ref, mentor_id))
    if row is None:
        row = MentorExclusion(
            patient_ref=request.patient_ref, mentor_id=mentor_id, reason=DECLARED_CONFLICT
        )
        session.add(row)
        await session.flush()
    for match in await active_matches_of(session, [mentor_id]):
        if match.patient_ref == request.patient_ref:
            await reconcile(session, match.episode_id, None, policy)
    return row


async def conflicts_of(session: AsyncSession, mentor_id: str) -> list[MentorExclusion]:
    """The patients a mentor declared a conflict of interest with."""
    await get_or_not_found(session, Mentor, mentor_id, f"mentor {mentor_id!r}")
    rows = await session.scalars(
        select(MentorExclusion)
        .where(
            col(MentorExclusion.mentor_id) == mentor_id,
            col(MentorExclusion.reason) == DECLARED_CONFLICT,
        )
        .order_by(col(MentorExclusion.created_at))
    )
    return list(rows)
