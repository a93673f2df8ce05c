"""Match routes: matches listed (newest first), and a patient declining their mentor."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from sqlalchemy import select
from sqlmodel import col

from matching.matches import handlers
from matching.matches.domain import Policy
from matching.matches.models import Match
from matching.matches.schemas import DeclineRequest, MatchView
from matching.reach import matches_of
from shared.access import Access, allow, ensure_visible
from shared.depends import Runtime, options
from shared.fields import Offset
from shared.web import ERROR_RESPONSES

AnyStaff = Annotated[Access, allow("coordinator", "supervisor", "clinician", "mentor")]
Decider = Annotated[Access, allow("coordinator", "clinician", "mentor")]
MatchingPolicy = Annotated[Policy, options(Policy)]

router = APIRouter(tags=["matching"], responses=ERROR_RESPONSES)


@router.get("/matches", response_model=list[MatchView], summary="Matches, newest first")
async def list_matches(
    runtime: Runtime,
    access: AnyStaff,
    episode_id: str | None = None,
    mentor_id: str | None = None,
    patient_ref: str | None = None,
    status_filter: Literal["proposed", "active", "ended", "rejected", "withdrawn"] | None = Query(
        None, alias="status"
    ),
    branch: str | None = None,
    escalated: bool | None = Query(None, description="proposals past their review deadline"),
    offset: Offset = 0,
    limit_: int = Query(100, ge=1, le=1000, alias="limit"),
) -> list[Match]:
    query = select(Match).where(matches_of(access))
    query = query.order_by(col(Match.matched_at).desc(), col(Match.match_id))
    if escalated is not None:
        when = col(Match.escalated_at)
        query = query.where(when.is_not(None) if escalated else when.is_(None))
    for column, value in (
        (col(Match.episode_id), episode_id),
        (col(Match.mentor_id), mentor_id),
        (col(Match.patient_ref), patient_ref),
        (col(Match.status), status_filter),
        (col(Match.branch), branch),
    ):
        if value is not None:
            query = query.where(column == value)
    async with runtime.sessionmaker() as session:
        return list(await session.scalars(query.offset(offset).limit(limit_)))


@router.post(
    "/matches/{match_id}/decline",
    response_model=MatchView,
    summary="The patient declines this mentor or asks for another: rematch without them",
)
async def decline(
    match_id: str,
    request: DeclineRequest,
    runtime: Runtime,
    policy: MatchingPolicy,
    access: Decider,
) -> Match:
    async with runtime.unit_of_work() as session:
        what = f"match {match_id!r}"
        await ensure_visible(session, col(Match.match_id), match_id, matches_of(access), what)
        return await handlers.decline(session, match_id, request.reason, policy)
