"""Pool routes: mentors registered, listed, shown and updated; certification notices and
supervision loads for the supervisors."""

from typing import Annotated

from fastapi import APIRouter, Query, status
from sqlalchemy import ColumnElement, select, true
from sqlmodel import col

from matching.matches.domain import Policy
from matching.pool import handlers, supervision
from matching.pool.domain import PoolOptions
from matching.pool.models import Mentor
from matching.pool.schemas import (
    CertificationNoticeView,
    MentorCreate,
    MentorUpdate,
    MentorView,
    SupervisionView,
)
from matching.reach import REACH
from shared.access import Access, allow, ensure_visible, visible
from shared.contracts.envelope import utcnow
from shared.db import get_or_not_found
from shared.depends import Runtime, options
from shared.fields import Offset
from shared.web import ERROR_RESPONSES

PoolKeeper = Annotated[Access, allow("coordinator", "supervisor")]
PoolReader = Annotated[Access, allow("coordinator", "supervisor", "clinician")]
AnyStaff = Annotated[Access, allow("coordinator", "supervisor", "clinician", "mentor")]
MatchingPolicy = Annotated[Policy, options(Policy)]
Pool = Annotated[PoolOptions, options(PoolOptions)]

router = APIRouter(tags=["matching"], responses=ERROR_RESPONSES)


def own_record(access: Access) -> ColumnElement[bool]:
    """The mentors a caller reaches: the whole shared pool, a mentor only themselves."""
    return col(Mentor.mentor_id) == access.subject if access.role == "mentor" else true()


@router.post(
    "/mentors",
    response_model=MentorView,
    status_code=status.HTTP_201_CREATED,
    summary="Register a mentor in the shared pool",
)
async def register_mentor(
    request: MentorCreate, runtime: Runtime, policy: MatchingPolicy, pool: Pool, _: PoolKeeper
) -> MentorView:
    async with runtime.unit_of_work() as session:
        core = pool.core_certifications
        ratio = pool.max_mentors_per_supervisor
        mentor = await handlers.register_mentor(session, request, policy, core, ratio)
        return await handlers.mentor_view(session, mentor)


@router.get("/mentors", response_model=list[MentorView], summary="List the shared mentor pool")
async def list_mentors(
    runtime: Runtime,
    _: PoolReader,
    status_filter: str | None = Query(None, alias="status", max_length=16),
    offset: Offset = 0,
    limit_: int = Query(100, ge=1, le=1000, alias="limit"),
) -> list[MentorView]:
    async with runtime.sessionmaker() as session:
        query = select(Mentor).order_by(col(Mentor.mentor_id)).offset(offset).limit(limit_)
        if status_filter:
            query = query.where(col(Mentor.status) == status_filter)
        return [await handlers.mentor_view(session, m) for m in await session.scalars(query)]


@router.get("/mentors/{mentor_id}", response_model=MentorView, summary="One mentor")
async def get_mentor(mentor_id: str, runtime: Runtime, access: AnyStaff) -> MentorView:
    async with runtime.sessionmaker() as session:
        what = f"mentor {mentor_id!r}"
        await ensure_visible(session, col(Mentor.mentor_id), mentor_id, own_record(access), what)
        mentor = await get_or_not_found(session, Mentor, mentor_id, f"mentor {mentor_id!r}")
        return await handlers.mentor_view(session, mentor)


@router.patch(
    "/mentors/{mentor_id}",
    response_model=MentorView,
    summary="Update a mentor (capacity, status, certifications, languages, branches …)",
)
async def update_mentor(
    mentor_id: str,
    request: MentorUpdate,
    runtime: Runtime,
    policy: MatchingPolicy,
    pool: Pool,
    access: PoolKeeper,
) -> MentorView:
    async with runtime.unit_of_work() as session:
        scope = visible(access, REACH, mentor=col(Mentor.mentor_id))
        what = f"mentor {mentor_id!r}"
        await ensure_visible(session, col(Mentor.mentor_id), mentor_id, scope, what)
        core = pool.core_certifications
        ratio = pool.max_mentors_per_supervisor
        mentor = await handlers.update_mentor(session, mentor_id, request, policy, core, ratio)
        return await handlers.mentor_view(session, mentor)


@router.get(
    "/certification-notices",
    response_model=list[CertificationNoticeView],
    summary="Core certifications missing, expired or expiring soon (soonest first)",
)
async def certification_notices(
    runtime: Runtime,
    pool: Pool,
    _: PoolKeeper,
    within_days: int | None = Query(
        None, ge=0, le=365, description="the notice window (default: the configured one)"
    ),
) -> list[CertificationNoticeView]:
    days = pool.certification_notice_days if within_days is None else within_days
    core = pool.core_certifications
    async with runtime.sessionmaker() as session:
        notices = await supervision.certification_notices(session, core, utcnow().date(), days)
    return [CertificationNoticeView.model_validate(n) for n in notices]


@router.get(
    "/supervisors",
    response_model=list[SupervisionView],
    summary="Mentors per supervisor against the maximum ratio (over_limit is the alert)",
)
async def supervisors(runtime: Runtime, pool: Pool, _: PoolKeeper) -> list[SupervisionView]:
    async with runtime.sessionmaker() as session:
        loads = await supervision.supervision(session, pool.max_mentors_per_supervisor)
    return [
        SupervisionView(
            supervisor_id=load.supervisor_id,
            mentors=load.mentors,
            limit=load.limit,
            over_limit=load.over_limit,
        )
        for load in loads
    ]
