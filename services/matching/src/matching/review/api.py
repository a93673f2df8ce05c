"""Review routes: a coordinator approves or rejects a proposed match; a supervisor signs it
off. Who reviews, and in which role, comes from the token alone."""

from typing import Annotated, Literal

from fastapi import APIRouter
from sqlmodel import col

from matching.matches.domain import Policy
from matching.matches.models import Match
from matching.matches.schemas import MatchView
from matching.reach import matches_of
from matching.review import handlers
from matching.review.schemas import RejectReason, RejectRequest, ReviewRequest
from shared.access import Access, allow, ensure_visible
from shared.depends import Runtime, options
from shared.fields import RecordIdPath
from shared.web import ERROR_RESPONSES

PoolKeeper = Annotated[Access, allow("coordinator", "supervisor")]
MatchingPolicy = Annotated[Policy, options(Policy)]

router = APIRouter(tags=["matching"], responses=ERROR_RESPONSES)


def reviewer(access: Access) -> tuple[str, Literal["coordinator", "supervisor"]]:
    """Who reviews, from the token alone (never from the request body)."""
    return access.subject, "supervisor" if access.role == "supervisor" else "coordinator"


@router.post(
    "/matches/{match_id}/approve",
    response_model=MatchView,
    summary="Approve a proposed match (coordinator review, or the supervisor's sign-off)",
)
async def approve(match_id: RecordIdPath, runtime: Runtime, access: PoolKeeper) -> Match:
    by, role = reviewer(access)
    async with runtime.unit_of_work() as session:
        what = f"match {match_id!r}"
        await ensure_visible(session, col(Match.match_id), match_id, matches_of(access), what)
        return await handlers.approve(session, match_id, ReviewRequest(reviewer_id=by, role=role))


@router.post(
    "/matches/{match_id}/reject",
    response_model=MatchView,
    summary="Reject a proposed match: the next best mentor is proposed",
)
async def reject(
    match_id: RecordIdPath,
    request: RejectReason,
    runtime: Runtime,
    policy: MatchingPolicy,
    access: PoolKeeper,
) -> Match:
    by, role = reviewer(access)
    decision = RejectRequest(reviewer_id=by, role=role, reason=request.reason)
    async with runtime.unit_of_work() as session:
        what = f"match {match_id!r}"
        await ensure_visible(session, col(Match.match_id), match_id, matches_of(access), what)
        return await handlers.reject(session, match_id, decision, policy)
