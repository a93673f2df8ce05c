"""Alumni and the path to becoming a peer mentor over REST."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, status
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from aftercare.alumni import handlers
from aftercare.alumni.models import Alumnus, Candidate
from aftercare.alumni.options import AlumniOptions
from aftercare.alumni.schemas import AlumnusView, CandidacyRequest, CandidateView, CourseRequest
from aftercare.enrolment.models import Enrolment
from aftercare.reach import REACH, ensure_enrolment
from shared.access import Access, allow, ensure_visible, visible
from shared.db import get_or_not_found
from shared.depends import Runtime, options
from shared.errors import Conflict
from shared.fields import Code, RecordIdPath
from shared.web import ERROR_RESPONSES

Coordinators = Annotated[Access, allow("coordinator")]
Options = Annotated[AlumniOptions, options(AlumniOptions)]

# Routes have summaries, not docstrings: FastAPI would publish a docstring in the OpenAPI.
router = APIRouter(tags=["alumni"], responses=ERROR_RESPONSES)


async def _ensure_candidate(session: AsyncSession, access: Access, candidate_id: str) -> None:
    scope = visible(access, REACH, branch=col(Candidate.branch))
    what = f"candidate {candidate_id!r}"
    await ensure_visible(session, col(Candidate.candidate_id), candidate_id, scope, what)


@router.post(
    "/enrolments/{enrolment_id}/complete",
    response_model=AlumnusView,
    summary="A coordinator records that the patient completed aftercare (they join alumni)",
)
async def complete(
    enrolment_id: RecordIdPath, access: Coordinators, runtime: Runtime, alumni_options: Options
) -> Alumnus:
    async with runtime.unit_of_work() as session:
        await ensure_enrolment(session, access, enrolment_id)
        row = await get_or_not_found(
            session, Enrolment, enrolment_id, f"enrolment {enrolment_id!r}", for_update=True
        )
        if row.first_attended_at is None:
            raise Conflict("the patient has not come to a meeting yet")
        return await handlers.complete(session, row, alumni_options.clock.now())


@router.get("/alumni", response_model=list[AlumnusView], summary="Alumni, newest first")
async def list_alumni(
    access: Coordinators, runtime: Runtime, branch: Code | None = None
) -> list[Alumnus]:
    query = select(Alumnus).where(visible(access, REACH, branch=col(Alumnus.branch)))
    query = query.order_by(col(Alumnus.joined_at).desc())
    if branch is not None:
        query = query.where(col(Alumnus.branch) == branch)
    async with runtime.sessionmaker() as session:
        return list(await session.scalars(query.limit(1000)))


@router.post(
    "/alumni/{patient_ref}/mentor-candidacy",
    response_model=CandidateView,
    status_code=status.HTTP_201_CREATED,
    summary="An alumnus's interest, or a coordinator's nomination, to train as a mentor",
)
async def open_candidacy(
    patient_ref: RecordIdPath,
    request: CandidacyRequest,
    access: Coordinators,
    runtime: Runtime,
    alumni_options: Options,
) -> Candidate:
    async with runtime.unit_of_work() as session:
        scope = visible(access, REACH, branch=col(Alumnus.branch))
        key = col(Alumnus.patient_ref)
        await ensure_visible(session, key, patient_ref, scope, f"alumnus {patient_ref!r}")
        return await handlers.open_candidacy(
            session,
            patient_ref,
            source=request.source,
            nominated_by=request.nominated_by,
            languages=request.languages,
            lived_experience=request.lived_experience,
            options=alumni_options,
            now=alumni_options.clock.now(),
        )


@router.get("/candidates", response_model=list[CandidateView], summary="Mentor candidates")
async def list_candidates(
    access: Coordinators,
    runtime: Runtime,
    branch: Code | None = None,
    status_filter: Annotated[
        Literal["training", "certified", "withdrawn"] | None, Query(alias="status")
    ] = None,
) -> list[Candidate]:
    query = select(Candidate).where(visible(access, REACH, branch=col(Candidate.branch)))
    query = query.order_by(col(Candidate.opened_at))
    if branch is not None:
        query = query.where(col(Candidate.branch) == branch)
    if status_filter is not None:
        query = query.where(col(Candidate.status) == status_filter)
    async with runtime.sessionmaker() as session:
        return list(await session.scalars(query.limit(1000)))


@router.post(
    "/candidates/{candidate_id}/courses",
    response_model=CandidateView,
    summary="Record a completed training course",
)
async def course(
    candidate_id: RecordIdPath,
    request: CourseRequest,
    access: Coordinators,
    runtime: Runtime,
    alumni_options: Options,
) -> Candidate:
    async with runtime.unit_of_work() as session:
        await _ensure_candidate(session, access, candidate_id)
        return await handlers.complete_course(
            session,
            candidate_id,
            request.course,
            request.completed_on,
            request.expires_on,
            alumni_options,
            alumni_options.clock.now(),
        )


@router.post(
    "/candidates/{candidate_id}/certify",
    response_model=CandidateView,
    summary="Certify a candidate with every course valid: they join the mentor pool",
)
async def certify(
    candidate_id: RecordIdPath, access: Coordinators, runtime: Runtime, alumni_options: Options
) -> Candidate:
    async with runtime.unit_of_work() as session:
        await _ensure_candidate(session, access, candidate_id)
        return await handlers.certify(
            session, candidate_id, alumni_options, alumni_options.clock.now()
        )


@router.post(
    "/candidates/{candidate_id}/withdraw",
    response_model=CandidateView,
    summary="Stop the path (a certified candidate leaves the pool too)",
)
async def withdraw(
    candidate_id: RecordIdPath, access: Coordinators, runtime: Runtime, alumni_options: Options
) -> Candidate:
    async with runtime.unit_of_work() as session:
        await _ensure_candidate(session, access, candidate_id)
        return await handlers.withdraw(
            session, candidate_id, alumni_options, alumni_options.clock.now()
        )
