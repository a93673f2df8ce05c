"""Ending a match: why it cannot go on, and the match ended (or the proposal withdrawn) with the
mentor's place freed."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from matching.matches import domain
from matching.matches.claim import free_place, match_state, proposal_state, publish
from matching.matches.models import HOLDING, Match
from matching.matches.needs import PatientNeed
from matching.patients.models import EpisodeProjection
from matching.pool.models import Mentor
from matching.pool.profiles import mentor_profile
from shared.contracts.envelope import utcnow
from shared.contracts.matching import MatchEnded, MatchProposalWithdrawn


async def end_match(
    session: AsyncSession, row: Match, reason: str, correlation_id: str | None
) -> None:
    """End an active match, or withdraw a proposal; the mentor's place is freed."""
    proposed = row.status == "proposed"
    row.status = "withdrawn" if proposed else "ended"
    row.ended_at = utcnow()
    row.ended_reason = reason
    row.version += 1
    await free_place(session, row.mentor_id)
    if proposed:
        publish(session, MatchProposalWithdrawn, proposal_state(row), row, correlation_id)
    else:
        publish(session, MatchEnded, match_state(row), row, correlation_id)
    await session.flush()


def end_reason(episode: EpisodeProjection, consent: str | None) -> str:
    """Why a patient no longer wants support: discharged, cancelled, or no consent."""
    if episode.status == "discharged":
        return "discharged"
    if episode.status == "cancelled":
        return "admission cancelled"
    if consent in ("declined", "withdrawn"):
        return f"consent {consent}"
    return "no consent for this stay"


async def why_the_match_cannot_go_on(
    session: AsyncSession, match: Match, wanted: PatientNeed
) -> str | None:
    """A hard constraint the match breaks now (None if it may go on): the patient moved to a
    branch the mentor does not serve, asked for another gender, became high-risk without the
    mentor's crisis cover, a conflict of interest came up, or the mentor is admitted."""
    mentor = await session.get(Mentor, match.mentor_id)
    if mentor is None:
        return "the mentor left the pool"
    if mentor.former_patient_ref == match.patient_ref:
        return domain.THEMSELVES
    if match.mentor_id in wanted.excluded:
        return "conflict of interest"
    if match.mentor_id in wanted.admitted_mentors:
        return domain.MENTOR_ADMITTED
    profile = await mentor_profile(session, mentor)
    return domain.unfit_reason(profile, wanted.need, utcnow().date())


async def holding_match(session: AsyncSession, episode_id: str) -> Match | None:
    """The episode's proposed or active match, if it holds one."""
    return await session.scalar(
        select(Match).where(col(Match.episode_id) == episode_id, col(Match.status).in_(HOLDING))
    )


async def active_matches_of(session: AsyncSession, mentor_ids: list[str]) -> list[Match]:
    """The active matches of these mentors."""
    if not mentor_ids:
        return []
    return list(
        await session.scalars(
            select(Match).where(
                col(Match.mentor_id).in_(mentor_ids), col(Match.status).in_(HOLDING)
            )
        )
    )
