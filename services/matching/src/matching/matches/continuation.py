"""A match going on past discharge into aftercare: set up once, undone by a cancelled discharge,
ended by a readmission or when the continuation is over."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from matching.matches import domain
from matching.matches.claim import publish
from matching.matches.end import end_match
from matching.matches.models import Match
from matching.patients.models import EpisodeProjection
from matching.waitlist.handlers import fill_waitlist
from shared.contracts.envelope import utcnow
from shared.contracts.matching import MatchContinuationChanged, MatchContinuationState


async def continues(
    session: AsyncSession,
    match: Match,
    episode: EpisodeProjection,
    consent_status: str | None,
    correlation_id: str | None,
    policy: domain.Policy,
) -> bool:
    """Whether an active match goes on into aftercare after this discharge (set up once). A
    cancelled discharge (the episode admitted again) brings it back to an inpatient match."""
    if match.status != "active" or consent_status != "given":
        return False
    if episode.status == "discharged" and policy.continues_after_discharge(
        episode.branch, episode.disposition
    ):
        if match.continues_until is None:
            discharged_at = episode.discharged_at or utcnow()
            match.continues_until = discharged_at + policy.aftercare_continuation
            await _continuation_changed(session, match, correlation_id)
        return True
    if episode.status == "admitted" and match.continues_until is not None:
        match.continues_until = None
        await _continuation_changed(session, match, correlation_id)
    return False


async def _continuation_changed(
    session: AsyncSession, match: Match, correlation_id: str | None
) -> None:
    match.version += 1
    state = MatchContinuationState.model_validate(match, from_attributes=True)
    publish(session, MatchContinuationChanged, state, match, correlation_id)
    await session.flush()


async def end_continuations_before(
    session: AsyncSession, episode: EpisodeProjection, correlation_id: str | None
) -> None:
    """A readmitted patient's match continuing from an earlier stay ends; the new stay is
    matched afresh (the same mentor first, by continuity)."""
    continuing = await session.scalars(
        select(Match).where(
            col(Match.patient_ref) == episode.patient_ref,
            col(Match.episode_id) != episode.episode_id,
            col(Match.status) == "active",
            col(Match.continues_until).is_not(None),
        )
    )
    for match in list(continuing):
        await end_match(session, match, "readmitted", correlation_id)


async def end_finished_continuations(
    session: AsyncSession, policy: domain.Policy, now: datetime | None = None
) -> int:
    """End the matches whose aftercare continuation is over and offer the places to the
    waitlist; return how many ended."""
    finished = list(
        await session.scalars(
            select(Match).where(
                col(Match.status) == "active", col(Match.continues_until) <= (now or utcnow())
            )
        )
    )
    for match in finished:
        await end_match(session, match, "aftercare continuation over", None)
    if finished:
        await fill_waitlist(session, None, policy)
    return len(finished)
