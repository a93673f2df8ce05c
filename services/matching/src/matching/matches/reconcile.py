"""Reconciling an episode with what its state asks: one match, a waitlist entry, or neither.

Mentors stepping back (their mentees matched again) re-enter reconciliation for each mentee,
so `step_back` lives here too."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from matching.matches import domain
from matching.matches.claim import try_match
from matching.matches.continuation import continues, end_continuations_before
from matching.matches.end import (
    active_matches_of,
    end_match,
    end_reason,
    holding_match,
    why_the_match_cannot_go_on,
)
from matching.matches.models import Match
from matching.matches.needs import PatientNeed, need_of
from matching.patients.models import ConsentProjection, EpisodeProjection
from matching.pool.models import Mentor
from matching.waitlist.handlers import fill_waitlist, join_waitlist, leave_waitlist
from matching.waitlist.models import WaitlistEntry
from shared.contracts.envelope import utcnow


async def reconcile(
    session: AsyncSession, episode_id: str, correlation_id: str | None, policy: domain.Policy
) -> None:
    """Bring an episode to what its state asks: one active match, a waitlist entry, or neither.

    An admitted patient who is also a mentor (a nominated alumnus) steps back from mentoring:
    their mentees are matched again.
    """
    episode = await session.get(EpisodeProjection, episode_id)
    if episode is None:
        return
    if episode.status == "admitted":
        await _release_mentees_of(session, episode.patient_ref, correlation_id, policy)
        await end_continuations_before(session, episode, correlation_id)
    consent = await session.get(ConsentProjection, episode_id)
    consent_status = consent.status if consent else None
    active = await holding_match(session, episode_id)
    if active is not None and await continues(
        session, active, episode, consent_status, correlation_id, policy
    ):
        return
    wants = domain.wants_support(episode.status, consent_status)
    wanted = await need_of(session, episode, policy, utcnow()) if wants else None
    if active is not None:
        reason = (
            await why_the_match_cannot_go_on(session, active, wanted)
            if wanted is not None
            else end_reason(episode, consent_status)
        )
        if reason is None:
            return
        await end_match(session, active, reason, correlation_id)
        await fill_waitlist(session, correlation_id, policy)
    await _match_or_wait(session, episode, wanted, correlation_id, policy)


async def _match_or_wait(
    session: AsyncSession,
    episode: EpisodeProjection,
    wanted: PatientNeed | None,
    correlation_id: str | None,
    policy: domain.Policy,
) -> None:
    """With no match held: a patient who wants support is matched or waits; one who no longer
    does leaves the waitlist."""
    waiting = await session.get(WaitlistEntry, episode.episode_id)
    if wanted is None:
        if waiting is not None and waiting.status == "waiting":
            leave_waitlist(session, waiting, "withdrawn", correlation_id)
        return
    if await try_match(session, wanted, correlation_id, policy) is not None:
        if waiting is not None and waiting.status == "waiting":
            leave_waitlist(session, waiting, "matched", correlation_id)
        return
    await join_waitlist(session, episode, waiting, correlation_id)


async def step_back(
    session: AsyncSession,
    matches: list[Match],
    reason: str,
    correlation_id: str | None,
    policy: domain.Policy,
) -> None:
    """End these matches and match each patient again; a new match notes whom it replaces."""
    for match in matches:
        await end_match(session, match, reason, correlation_id)
    for match in matches:
        await reconcile(session, match.episode_id, correlation_id, policy)
        successor = await holding_match(session, match.episode_id)
        if successor is not None and successor.explanation is not None:
            successor.explanation = {
                **successor.explanation,
                "replaces": {"mentor_id": match.mentor_id, "reason": reason},
            }


async def _release_mentees_of(
    session: AsyncSession, patient_ref: str, correlation_id: str | None, policy: domain.Policy
) -> None:
    mentor_ids = list(
        await session.scalars(
            select(col(Mentor.mentor_id)).where(col(Mentor.former_patient_ref) == patient_ref)
        )
    )
    active = await active_matches_of(session, mentor_ids)
    await step_back(session, active, domain.MENTOR_ADMITTED, correlation_id, policy)
