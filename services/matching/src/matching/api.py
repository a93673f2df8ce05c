"""Matching REST API: the shared mentor pool, matches and the waitlist."""

from typing import Literal

from fastapi import APIRouter, Query, status
from sqlalchemy import ColumnElement, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from matching import handlers, patients, pool, review
from matching.config import MatchingSettings, policy_from
from matching.models import (
    EpisodeProjection,
    EpisodeRisk,
    Match,
    Mentor,
    MentorExclusion,
    PatientPreferences,
    WaitlistEntry,
)
from matching.reach import REACH
from matching.review_schemas import RejectReason, RejectRequest, ReviewRequest
from matching.schemas import (
    CertificationNoticeView,
    ConflictRequest,
    ConflictView,
    DeclineRequest,
    MatchView,
    MentorCreate,
    MentorUpdate,
    MentorView,
    PreferencesRequest,
    PreferencesView,
    RiskBody,
    RiskRequest,
    RiskView,
    SupervisionView,
    WaitlistView,
)
from shared.access import (
    Access,
    allow,
    claim_person,
    ensure_patient,
    ensure_visible,
    visible,
)
from shared.contracts.envelope import utcnow
from shared.db import get_or_not_found
from shared.fields import Offset, RecordIdPath
from shared.runtime import ServiceRuntime
from shared.web import ERROR_RESPONSES

POOL_KEEPERS = allow("coordinator", "supervisor")
POOL_READERS = allow("coordinator", "supervisor", "clinician")
ANY_STAFF = allow("coordinator", "supervisor", "clinician", "mentor")
DECIDERS = allow("coordinator", "clinician", "mentor")
COORDINATORS = allow("coordinator")
PATIENT_STAFF = allow("coordinator", "clinician")
CLINICIANS = allow("clinician")
MENTOR_CARE = allow("coordinator", "supervisor", "mentor")


def matches_of(access: Access) -> ColumnElement[bool]:
    """The matches a caller reaches: their branch's, their own, or their mentors'."""
    return visible(access, REACH, branch=col(Match.branch), mentor=col(Match.mentor_id))


def own_record(access: Access) -> ColumnElement[bool]:
    """The mentors a caller reaches: the whole shared pool, a mentor only themselves."""
    return col(Mentor.mentor_id) == access.subject if access.role == "mentor" else true()


def reviewer(access: Access) -> tuple[str, Literal["coordinator", "supervisor"]]:
    """Who reviews, from the token alone (never from the request body)."""
    return access.subject, "supervisor" if access.role == "supervisor" else "coordinator"


def build_router(runtime: ServiceRuntime, settings: MatchingSettings) -> APIRouter:
    """Routes of the matching service."""
    router = APIRouter(tags=["matching"], responses=ERROR_RESPONSES)
    policy = policy_from(settings)
    core = settings.core_certifications

    @router.post(
        "/mentors",
        response_model=MentorView,
        status_code=status.HTTP_201_CREATED,
        summary="Register a mentor in the shared pool",
    )
    async def register_mentor(request: MentorCreate, _: Access = POOL_KEEPERS) -> MentorView:
        async with runtime.unit_of_work() as session:
            mentor = await pool.register_mentor(session, request, policy, core)
            return await pool.mentor_view(session, mentor)

    @router.get("/mentors", response_model=list[MentorView], summary="List the shared mentor pool")
    async def list_mentors(
        status_filter: str | None = Query(None, alias="status", max_length=16),
        offset: Offset = 0,
        limit_: int = Query(100, ge=1, le=1000, alias="limit"),
        _: Access = POOL_READERS,
    ) -> list[MentorView]:
        async with runtime.sessionmaker() as session:
            query = select(Mentor).order_by(col(Mentor.mentor_id)).offset(offset).limit(limit_)
            if status_filter:
                query = query.where(col(Mentor.status) == status_filter)
            return [await pool.mentor_view(session, m) for m in await session.scalars(query)]

    @router.get("/mentors/{mentor_id}", response_model=MentorView, summary="One mentor")
    async def get_mentor(mentor_id: str, access: Access = ANY_STAFF) -> MentorView:
        async with runtime.sessionmaker() as session:
            what = f"mentor {mentor_id!r}"
            await ensure_visible(
                session, col(Mentor.mentor_id), mentor_id, own_record(access), what
            )
            mentor = await get_or_not_found(session, Mentor, mentor_id, f"mentor {mentor_id!r}")
            return await pool.mentor_view(session, mentor)

    @router.patch(
        "/mentors/{mentor_id}",
        response_model=MentorView,
        summary="Update a mentor (capacity, status, certifications, languages, branches …)",
    )
    async def update_mentor(
        mentor_id: str, request: MentorUpdate, access: Access = POOL_KEEPERS
    ) -> MentorView:
        async with runtime.unit_of_work() as session:
            scope = visible(access, REACH, mentor=col(Mentor.mentor_id))
            what = f"mentor {mentor_id!r}"
            await ensure_visible(session, col(Mentor.mentor_id), mentor_id, scope, what)
            mentor = await pool.update_mentor(session, mentor_id, request, policy, core)
            return await pool.mentor_view(session, mentor)

    @router.get(
        "/certification-notices",
        response_model=list[CertificationNoticeView],
        summary="Core certifications missing, expired or expiring soon (soonest first)",
    )
    async def certification_notices(
        within_days: int = Query(settings.certification_notice_days, ge=0, le=365),
        _: Access = POOL_KEEPERS,
    ) -> list[CertificationNoticeView]:
        async with runtime.sessionmaker() as session:
            notices = await pool.certification_notices(session, core, utcnow().date(), within_days)
        return [CertificationNoticeView.model_validate(n) for n in notices]

    @router.get(
        "/supervisors",
        response_model=list[SupervisionView],
        summary="Mentors per supervisor against the maximum ratio (over_limit is the alert)",
    )
    async def supervisors(_: Access = POOL_KEEPERS) -> list[SupervisionView]:
        async with runtime.sessionmaker() as session:
            loads = await pool.supervision(session, settings.max_mentors_per_supervisor)
        return [
            SupervisionView(
                supervisor_id=load.supervisor_id,
                mentors=load.mentors,
                limit=load.limit,
                over_limit=load.over_limit,
            )
            for load in loads
        ]

    @router.get("/matches", response_model=list[MatchView], summary="Matches, newest first")
    async def list_matches(
        episode_id: str | None = None,
        mentor_id: str | None = None,
        patient_ref: str | None = None,
        status_filter: Literal["proposed", "active", "ended", "rejected", "withdrawn"]
        | None = Query(None, alias="status"),
        branch: str | None = None,
        escalated: bool | None = Query(None, description="proposals past their review deadline"),
        offset: Offset = 0,
        limit_: int = Query(100, ge=1, le=1000, alias="limit"),
        access: Access = ANY_STAFF,
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
    async def decline(match_id: str, request: DeclineRequest, access: Access = DECIDERS) -> Match:
        async with runtime.unit_of_work() as session:
            what = f"match {match_id!r}"
            await ensure_visible(session, col(Match.match_id), match_id, matches_of(access), what)
            return await handlers.decline(session, match_id, request.reason, policy)

    @router.put(
        "/patients/{patient_ref}/preferences",
        response_model=PreferencesView,
        summary="Record what the patient asked for in a mentor (needs their consent)",
    )
    async def record_preferences(
        patient_ref: RecordIdPath, request: PreferencesRequest, access: Access = COORDINATORS
    ) -> PatientPreferences:
        claim_person(access, request.recorded_by, "recorded_by")
        async with runtime.unit_of_work() as session:
            await ensure_patient(session, access, REACH, patient_ref)
            return await patients.record_preferences(session, patient_ref, request, policy)

    @router.get(
        "/patients/{patient_ref}/preferences",
        response_model=PreferencesView,
        summary="What the patient asked for in a mentor",
    )
    async def get_preferences(
        patient_ref: RecordIdPath, access: Access = PATIENT_STAFF
    ) -> PatientPreferences:
        async with runtime.sessionmaker() as session:
            await ensure_patient(session, access, REACH, patient_ref)
            what = f"preferences recorded for {patient_ref!r}"
            return await get_or_not_found(session, PatientPreferences, patient_ref, what)

    @router.put(
        "/episodes/{episode_id}/risk",
        response_model=RiskView,
        summary="Record a clinician's risk assessment (high-risk needs crisis-response cover)",
    )
    async def assess_risk(
        episode_id: RecordIdPath, request: RiskBody, access: Access = CLINICIANS
    ) -> EpisodeRisk:
        assessment = RiskRequest(level=request.level, assessed_by=access.subject)
        async with runtime.unit_of_work() as session:
            await _ensure_episode(session, access, episode_id)
            return await patients.assess_risk(session, episode_id, assessment, policy)

    @router.get("/episodes/{episode_id}/risk", response_model=RiskView, summary="An episode's risk")
    async def get_risk(episode_id: RecordIdPath, access: Access = PATIENT_STAFF) -> EpisodeRisk:
        async with runtime.sessionmaker() as session:
            await _ensure_episode(session, access, episode_id)
            what = f"risk assessment for episode {episode_id!r}"
            return await get_or_not_found(session, EpisodeRisk, episode_id, what)

    @router.post(
        "/mentors/{mentor_id}/conflicts",
        response_model=ConflictView,
        status_code=status.HTTP_201_CREATED,
        summary="A mentor declares a conflict of interest with a patient (never matched)",
    )
    async def declare_conflict(
        mentor_id: RecordIdPath, request: ConflictRequest, access: Access = MENTOR_CARE
    ) -> MentorExclusion:
        async with runtime.unit_of_work() as session:
            await _ensure_mentor_in_care(session, access, mentor_id)
            return await patients.declare_conflict(session, mentor_id, request, policy)

    @router.get(
        "/mentors/{mentor_id}/conflicts",
        response_model=list[ConflictView],
        summary="Patients a mentor declared a conflict of interest with",
    )
    async def list_conflicts(
        mentor_id: RecordIdPath, access: Access = MENTOR_CARE
    ) -> list[MentorExclusion]:
        async with runtime.sessionmaker() as session:
            await _ensure_mentor_in_care(session, access, mentor_id)
            return await patients.conflicts_of(session, mentor_id)

    @router.post(
        "/matches/{match_id}/approve",
        response_model=MatchView,
        summary="Approve a proposed match (coordinator review, or the supervisor's sign-off)",
    )
    async def approve(match_id: RecordIdPath, access: Access = POOL_KEEPERS) -> Match:
        by, role = reviewer(access)
        async with runtime.unit_of_work() as session:
            what = f"match {match_id!r}"
            await ensure_visible(session, col(Match.match_id), match_id, matches_of(access), what)
            return await review.approve(session, match_id, ReviewRequest(reviewer_id=by, role=role))

    @router.post(
        "/matches/{match_id}/reject",
        response_model=MatchView,
        summary="Reject a proposed match: the next best mentor is proposed",
    )
    async def reject(
        match_id: RecordIdPath, request: RejectReason, access: Access = POOL_KEEPERS
    ) -> Match:
        by, role = reviewer(access)
        decision = RejectRequest(reviewer_id=by, role=role, reason=request.reason)
        async with runtime.unit_of_work() as session:
            what = f"match {match_id!r}"
            await ensure_visible(session, col(Match.match_id), match_id, matches_of(access), what)
            return await review.reject(session, match_id, decision, policy)

    @router.get(
        "/waitlist", response_model=list[WaitlistView], summary="Patients waiting for a mentor"
    )
    async def list_waitlist(
        status_filter: Literal["waiting", "matched", "withdrawn"] = Query(
            "waiting", alias="status"
        ),
        branch: str | None = None,
        offset: Offset = 0,
        limit_: int = Query(100, ge=1, le=1000, alias="limit"),
        access: Access = PATIENT_STAFF,
    ) -> list[WaitlistEntry]:
        query = select(WaitlistEntry).where(col(WaitlistEntry.status) == status_filter)
        query = query.where(visible(access, REACH, branch=col(WaitlistEntry.branch)))
        if branch:
            query = query.where(col(WaitlistEntry.branch) == branch)
        async with runtime.sessionmaker() as session:
            return list(
                await session.scalars(
                    query.order_by(col(WaitlistEntry.since)).offset(offset).limit(limit_)
                )
            )

    return router


async def _ensure_episode(session: AsyncSession, access: Access, episode_id: str) -> None:
    scope = visible(access, REACH, episode=col(EpisodeProjection.episode_id))
    what = f"episode {episode_id!r}"
    await ensure_visible(session, col(EpisodeProjection.episode_id), episode_id, scope, what)


async def _ensure_mentor_in_care(session: AsyncSession, access: Access, mentor_id: str) -> None:
    scope = visible(access, REACH, mentor=col(Mentor.mentor_id))
    await ensure_visible(session, col(Mentor.mentor_id), mentor_id, scope, f"mentor {mentor_id!r}")
