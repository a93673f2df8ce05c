"""Proposed matches: a coordinator's review (branches in review mode) and the mentor's
supervisor's sign-off (high-risk patients), with a deadline after which a proposal nobody
reviewed escalates to the branch lead."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from matching.matches import domain
from matching.matches.claim import free_place, match_state, proposal_state
from matching.matches.models import Match
from matching.matches.reconcile import reconcile
from matching.patients.models import MentorExclusion
from matching.review.domain import check_reviewable, review_entry
from matching.review.schemas import RejectRequest, ReviewRequest
from shared.contracts.envelope import utcnow
from shared.contracts.matching import MatchMade, MatchProposalEscalated, MatchProposalReviewed
from shared.db import get_or_not_found
from shared.outbox import stage

ESCALATION_BATCH = 500  # proposals escalated per run at most
REJECTED = "rejected in review"


async def _proposal(session: AsyncSession, match_id: str, role: str, reviewer: str) -> Match:
    match = await get_or_not_found(session, Match, match_id, f"match {match_id!r}", for_update=True)
    check_reviewable(match.status, match.awaiting, role, reviewer, match.supervisor_id)
    return match


def _record(match: Match, request: ReviewRequest, decision: str) -> None:
    entry = review_entry(request.reviewer_id, request.role, decision, utcnow())
    match.reviews = [*match.reviews, entry]  # a new list: JSON columns track assignment only
    match.awaiting = [role for role in match.awaiting if role != request.role]
    match.version += 1


async def approve(session: AsyncSession, match_id: str, request: ReviewRequest) -> Match:
    """Record an approval; once nobody else is awaited the match is made (`match.made`)."""
    match = await _proposal(session, match_id, request.role, request.reviewer_id)
    _record(match, request, "approved")
    if not match.awaiting:
        match.status = "active"
        match.matched_at = utcnow()
    stage(session, MatchProposalReviewed.new(proposal_state(match), branch=match.branch))
    if match.status == "active":
        stage(session, MatchMade.new(match_state(match), branch=match.branch))
    await session.flush()
    return match


async def reject(
    session: AsyncSession, match_id: str, request: RejectRequest, policy: domain.Policy
) -> Match:
    """Record a rejection: the place is freed, this mentor is not proposed to the patient
    again, and the next best mentor is proposed (or the patient waits)."""
    match = await _proposal(session, match_id, request.role, request.reviewer_id)
    _record(match, request, "rejected")
    match.status = "rejected"
    match.ended_at = utcnow()
    match.ended_reason = f"rejected by the {request.role}: {request.reason}"
    await free_place(session, match.mentor_id)
    if await session.get(MentorExclusion, (match.patient_ref, match.mentor_id)) is None:
        session.add(
            MentorExclusion(
                patient_ref=match.patient_ref, mentor_id=match.mentor_id, reason=REJECTED
            )
        )
    stage(session, MatchProposalReviewed.new(proposal_state(match), branch=match.branch))
    await session.flush()
    await reconcile(session, match.episode_id, None, policy)
    return match


async def escalate_overdue(
    session: AsyncSession, policy: domain.Policy, now: datetime | None = None
) -> int:
    """Escalate proposals past their review deadline (once each): they go to the branch lead.
    Replicas skip rows another one is escalating, so each escalates exactly once."""
    overdue = await session.scalars(
        select(Match)
        .where(
            col(Match.status) == "proposed",
            col(Match.review_due_at) <= (now or utcnow()),
            col(Match.escalated_at).is_(None),
        )
        .order_by(col(Match.review_due_at))
        .limit(ESCALATION_BATCH)
        .with_for_update(skip_locked=True)
    )
    escalated = 0
    for match in overdue:
        match.escalated_at = utcnow()
        match.version += 1
        stage(session, MatchProposalEscalated.new(proposal_state(match), branch=match.branch))
        escalated += 1
    await session.flush()
    return escalated
