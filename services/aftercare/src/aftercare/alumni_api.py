"""Alumni and the path to becoming a peer mentor over REST."""

from typing import Literal

from fastapi import APIRouter, Query, status
from sqlalchemy import select
from sqlmodel import col

from aftercare import alumni, candidates
from aftercare.config import AftercareSettings
from aftercare.models import Alumnus, Candidate, Enrolment
from aftercare.schemas import AlumnusView, CandidacyRequest, CandidateView, CourseRequest
from shared.clock import Clock
from shared.db import get_or_not_found
from shared.errors import Conflict
from shared.fields import Code, RecordIdPath
from shared.runtime import ServiceRuntime
from shared.web import ERROR_RESPONSES


def build_alumni_router(
    runtime: ServiceRuntime, settings: AftercareSettings, clock: Clock
) -> APIRouter:
    """Routes for alumni and mentor candidates."""
    router = APIRouter(tags=["alumni"], responses=ERROR_RESPONSES)

    @router.post(
        "/enrolments/{enrolment_id}/complete",
        response_model=AlumnusView,
        summary="A coordinator records that the patient completed aftercare (they join alumni)",
    )
    async def complete(enrolment_id: RecordIdPath) -> Alumnus:
        async with runtime.unit_of_work() as session:
            row = await get_or_not_found(
                session, Enrolment, enrolment_id, f"enrolment {enrolment_id!r}", for_update=True
            )
            if row.first_attended_at is None:
                raise Conflict("the patient has not come to a meeting yet")
            return await alumni.complete(session, row, clock.now())

    @router.get("/alumni", response_model=list[AlumnusView], summary="Alumni, newest first")
    async def list_alumni(branch: Code | None = None) -> list[Alumnus]:
        query = select(Alumnus).order_by(col(Alumnus.joined_at).desc())
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
    async def open_candidacy(patient_ref: RecordIdPath, request: CandidacyRequest) -> Candidate:
        async with runtime.unit_of_work() as session:
            return await candidates.open_candidacy(
                session,
                patient_ref,
                source=request.source,
                nominated_by=request.nominated_by,
                languages=request.languages,
                lived_experience=request.lived_experience,
                settings=settings,
                now=clock.now(),
            )

    @router.get("/candidates", response_model=list[CandidateView], summary="Mentor candidates")
    async def list_candidates(
        branch: Code | None = None,
        status_filter: Literal["training", "certified", "withdrawn"] | None = Query(
            None, alias="status"
        ),
    ) -> list[Candidate]:
        query = select(Candidate).order_by(col(Candidate.opened_at))
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
    async def course(candidate_id: RecordIdPath, request: CourseRequest) -> Candidate:
        async with runtime.unit_of_work() as session:
            return await candidates.complete_course(
                session,
                candidate_id,
                request.course,
                request.completed_on,
                request.expires_on,
                settings,
                clock.now(),
            )

    @router.post(
        "/candidates/{candidate_id}/certify",
        response_model=CandidateView,
        summary="Certify a candidate with every course valid: they join the mentor pool",
    )
    async def certify(candidate_id: RecordIdPath) -> Candidate:
        async with runtime.unit_of_work() as session:
            return await candidates.certify(session, candidate_id, settings, clock.now())

    @router.post(
        "/candidates/{candidate_id}/withdraw",
        response_model=CandidateView,
        summary="Stop the path (a certified candidate leaves the pool too)",
    )
    async def withdraw(candidate_id: RecordIdPath) -> Candidate:
        async with runtime.unit_of_work() as session:
            return await candidates.withdraw(session, candidate_id, settings, clock.now())

    return router
