"""Alumni and the path to becoming a peer mentor over REST."""

from typing import Literal

from fastapi import APIRouter, Query, status
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from aftercare import alumni, candidates
from aftercare.api import COORDINATORS, ensure_enrolment
from aftercare.config import AftercareSettings
from aftercare.models import Alumnus, Candidate, Enrolment
from aftercare.reach import REACH
from aftercare.schemas import AlumnusView, CandidacyRequest, CandidateView, CourseRequest
from shared.access import Access, ensure_visible, visible
from shared.clock import Clock
from shared.db import get_or_not_found
from shared.errors import Conflict
from shared.fields import Code, RecordIdPath
from shared.runtime import ServiceRuntime
from shared.web import ERROR_RESPONSES


async def _ensure_candidate(session: AsyncSession, access: Access, candidate_id: str) -> None:
    scope = visible(access, REACH, branch=col(Candidate.branch))
    what = f"candidate {candidate_id!r}"
    await ensure_visible(session, col(Candidate.candidate_id), candidate_id, scope, what)


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
    async def complete(enrolment_id: RecordIdPath, access: Access = COORDINATORS) -> Alumnus:
        async with runtime.unit_of_work() as session:
            await ensure_enrolment(session, access, enrolment_id)
            row = await get_or_not_found(
                session, Enrolment, enrolment_id, f"enrolment {enrolment_id!r}", for_update=True
            )
            if row.first_attended_at is None:
                raise Conflict("the patient has not come to a meeting yet")
            return await alumni.complete(session, row, clock.now())

    @router.get("/alumni", response_model=list[AlumnusView], summary="Alumni, newest first")
    async def list_alumni(
        branch: Code | None = None, access: Access = COORDINATORS
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
        patient_ref: RecordIdPath, request: CandidacyRequest, access: Access = COORDINATORS
    ) -> Candidate:
        async with runtime.unit_of_work() as session:
            scope = visible(access, REACH, branch=col(Alumnus.branch))
            key = col(Alumnus.patient_ref)
            await ensure_visible(session, key, patient_ref, scope, f"alumnus {patient_ref!r}")
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
        access: Access = COORDINATORS,
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
        candidate_id: RecordIdPath, request: CourseRequest, access: Access = COORDINATORS
    ) -> Candidate:
        async with runtime.unit_of_work() as session:
            await _ensure_candidate(session, access, candidate_id)
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
    async def certify(candidate_id: RecordIdPath, access: Access = COORDINATORS) -> Candidate:
        async with runtime.unit_of_work() as session:
            await _ensure_candidate(session, access, candidate_id)
            return await candidates.certify(session, candidate_id, settings, clock.now())

    @router.post(
        "/candidates/{candidate_id}/withdraw",
        response_model=CandidateView,
        summary="Stop the path (a certified candidate leaves the pool too)",
    )
    async def withdraw(candidate_id: RecordIdPath, access: Access = COORDINATORS) -> Candidate:
        async with runtime.unit_of_work() as session:
            await _ensure_candidate(session, access, candidate_id)
            return await candidates.withdraw(session, candidate_id, settings, clock.now())

    return router
