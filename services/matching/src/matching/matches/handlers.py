"""Matches ended because something changed beyond the episode: the patient declines their
mentor, or the mentor steps back (on leave, suspended, retired, certification lapsed, capacity
cut, profile changed); the patients are matched again."""

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from matching.matches import domain
from matching.matches import reconcile as reconciling
from matching.matches.end import active_matches_of
from matching.matches.models import HOLDING, Match
from matching.matches.reconcile import step_back
from matching.patients.models import MentorExclusion
from matching.pool.domain import ACTIVE, announced_status
from matching.pool.models import Mentor
from matching.pool.profiles import leave_of, mentor_on_leave
from shared.contracts.envelope import utcnow
from shared.db import get_or_not_found
from shared.errors import Conflict


async def hand_over_surplus(session: AsyncSession, mentor: Mentor, policy: domain.Policy) -> None:
    """A mentor whose capacity was cut below their load hands their newest mentees over (they
    are matched again at once, or wait)."""
    await session.refresh(mentor, ["active_mentees", "capacity"])
    surplus = mentor.active_mentees - mentor.capacity
    if surplus <= 0:
        return
    newest = await session.scalars(
        select(Match)
        .where(col(Match.mentor_id) == mentor.mentor_id, col(Match.status).in_(HOLDING))
        .order_by(col(Match.matched_at).desc(), col(Match.match_id))
        .limit(surplus)
    )
    await step_back(session, list(newest), "mentor's capacity reduced", None, policy)


async def recheck_mentees(session: AsyncSession, mentor_id: str, policy: domain.Policy) -> None:
    """Check each of a mentor's matches against the hard constraints after the mentor's profile
    changed; a match that breaks one ends and the patient is matched again."""
    for match in await active_matches_of(session, [mentor_id]):
        await reconciling.reconcile(session, match.episode_id, None, policy)


async def decline(
    session: AsyncSession, match_id: str, reason: str, policy: domain.Policy
) -> Match:
    """The patient declines their mentor or asks for another: the match ends (with any other
    the patient holds with that mentor), that mentor is excluded for this patient from now on,
    and another is sought at once."""
    match = await get_or_not_found(session, Match, match_id, f"match {match_id!r}")
    if match.status not in HOLDING:
        raise Conflict(
            f"the match is {match.status}; only a proposed or active match can be declined"
        )
    if await session.get(MentorExclusion, (match.patient_ref, match.mentor_id)) is None:
        session.add(
            MentorExclusion(patient_ref=match.patient_ref, mentor_id=match.mentor_id, reason=reason)
        )
    with_them = await session.scalars(
        select(Match).where(
            col(Match.patient_ref) == match.patient_ref,
            col(Match.mentor_id) == match.mentor_id,
            col(Match.status).in_(HOLDING),
        )
    )
    await step_back(session, list(with_them), reason, None, policy)
    return match


async def release_ineligible_mentors(session: AsyncSession, policy: domain.Policy) -> int:
    """Mentors on leave (by status or dates), suspended, retired or with a lapsed core
    certification step back from their active matches; their mentees are matched again.
    Returns matches ended."""
    today = utcnow().date()
    mentor_ids = list(
        await session.scalars(
            select(col(Mentor.mentor_id)).where(
                col(Mentor.active_mentees) > 0,
                or_(
                    col(Mentor.status) != ACTIVE,
                    mentor_on_leave(today),
                    col(Mentor.certified_until).is_(None),
                    col(Mentor.certified_until) < today,
                ),
            )
        )
    )
    ended = 0
    for mentor_id in mentor_ids:
        mentor = await session.get(Mentor, mentor_id)
        assert mentor is not None
        status = announced_status(mentor.status, leave_of(mentor), today)
        reason = (
            f"mentor {status.replace('_', ' ')}"
            if status != ACTIVE
            else "mentor's certification lapsed"
        )
        active = await active_matches_of(session, [mentor_id])
        await step_back(session, active, reason, None, policy)
        ended += len(active)
    return ended
