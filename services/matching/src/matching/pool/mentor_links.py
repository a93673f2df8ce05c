"""Mentors who are patients. The patient record a mentor is comes from a coordinator's link
(intake resolves the identifiers and sends only the `patient_ref`) or else from aftercare's
nomination of an alumnus. Such a mentor is never matched to themselves, and takes no mentee
while admitted: their mentees are matched again at once (see `matches.reconcile`)."""

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from matching.matches import domain
from matching.matches.end import active_matches_of
from matching.matches.reconcile import step_back
from matching.patients.models import EpisodeProjection
from matching.pool.index import note_change
from matching.pool.models import Mentor, MentorPatientLink
from matching.waitlist.handlers import fill_waitlist
from shared.consumer import Handler
from shared.contracts.envelope import Event, utcnow
from shared.projections import apply_if_newer

LINKED = "linked"
LINK_FIELDS = ("mentor_id", "patient_ref", "status", "version")


async def own_patient_ref(session: AsyncSession, mentor: Mentor) -> str | None:
    """The patient record this mentor is: the coordinator's link, else the nomination's."""
    link = await session.get(MentorPatientLink, mentor.mentor_id)
    if link is not None and link.status == LINKED:
        return link.patient_ref
    return mentor.nominated_patient_ref


async def _is_admitted(session: AsyncSession, patient_ref: str) -> bool:
    return (
        await session.scalar(
            select(col(EpisodeProjection.episode_id))
            .where(
                col(EpisodeProjection.patient_ref) == patient_ref,
                col(EpisodeProjection.status) == "admitted",
            )
            .limit(1)
        )
        is not None
    )


async def apply_link(session: AsyncSession, event: Event, policy: domain.Policy) -> None:
    """Intake linked or unlinked a mentor (older versions are ignored). A link for a mentor
    not registered yet is kept and taken when they are. Linked: a match with themselves ends,
    and while they are admitted their mentees are matched again; unlinked: they may mentor."""
    state = event.data
    if await apply_if_newer(session, MentorPatientLink, state.mentor_id, state, LINK_FIELDS):
        mentor = await session.get(Mentor, state.mentor_id)
        patient_ref = await own_patient_ref(session, mentor) if mentor else None
        if mentor is None or patient_ref == mentor.former_patient_ref:
            return
        mentor.former_patient_ref = patient_ref
        mentor.updated_at = utcnow()
        note_change(session, mentor.mentor_id)
        await session.flush()
        if patient_ref is not None:
            await _step_back_as_patient(session, mentor.mentor_id, patient_ref, event, policy)
        await fill_waitlist(session, event.correlation_id, policy)


async def _step_back_as_patient(
    session: AsyncSession, mentor_id: str, patient_ref: str, event: Event, policy: domain.Policy
) -> None:
    held = await active_matches_of(session, [mentor_id])
    themselves = [m for m in held if m.patient_ref == patient_ref]
    await step_back(session, themselves, domain.THEMSELVES, event.correlation_id, policy)
    if await _is_admitted(session, patient_ref):
        others = [m for m in held if m.patient_ref != patient_ref]
        await step_back(session, others, domain.MENTOR_ADMITTED, event.correlation_id, policy)


def following_merges(on_merge: Handler) -> Handler:
    """`on_merge`, then the mentors who are the merged patient become the surviving one."""

    async def handler(session: AsyncSession, event: Event) -> None:
        await on_merge(session, event)
        source, target = event.data.source_patient_ref, event.data.target_patient_ref
        for name in ("former_patient_ref", "nominated_patient_ref"):
            column = getattr(Mentor, name)
            await session.execute(update(Mentor).where(column == source).values({name: target}))
        await session.execute(
            update(MentorPatientLink)
            .where(col(MentorPatientLink.patient_ref) == source)
            .values(patient_ref=target)
        )

    return handler
