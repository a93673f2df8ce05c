"""Patient routes: the preferences a patient expressed, a clinician's risk assessment, and the
conflicts of interest mentors declare."""

from typing import Annotated

from fastapi import APIRouter, status
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from matching.matches.domain import Policy
from matching.patients import handlers
from matching.patients.models import (
    EpisodeProjection,
    EpisodeRisk,
    MentorExclusion,
    PatientPreferences,
)
from matching.patients.schemas import (
    ConflictRequest,
    ConflictView,
    PreferencesRequest,
    PreferencesView,
    RiskBody,
    RiskRequest,
    RiskView,
)
from matching.pool.models import Mentor
from matching.reach import REACH
from shared.access import Access, allow, claim_person, ensure_patient, ensure_visible, visible
from shared.db import get_or_not_found
from shared.depends import Runtime, options
from shared.fields import RecordIdPath
from shared.web import ERROR_RESPONSES

Coordinator = Annotated[Access, allow("coordinator")]
PatientStaff = Annotated[Access, allow("coordinator", "clinician")]
Clinician = Annotated[Access, allow("clinician")]
MentorCare = Annotated[Access, allow("coordinator", "supervisor", "mentor")]
MatchingPolicy = Annotated[Policy, options(Policy)]

router = APIRouter(tags=["matching"], responses=ERROR_RESPONSES)


@router.put(
    "/patients/{patient_ref}/preferences",
    response_model=PreferencesView,
    summary="Record what the patient asked for in a mentor (needs their consent)",
)
async def record_preferences(
    patient_ref: RecordIdPath,
    request: PreferencesRequest,
    runtime: Runtime,
    policy: MatchingPolicy,
    access: Coordinator,
) -> PatientPreferences:
    claim_person(access, request.recorded_by, "recorded_by")
    async with runtime.unit_of_work() as session:
        await ensure_patient(session, access, REACH, patient_ref)
        return await handlers.record_preferences(session, patient_ref, request, policy)


@router.get(
    "/patients/{patient_ref}/preferences",
    response_model=PreferencesView,
    summary="What the patient asked for in a mentor",
)
async def get_preferences(
    patient_ref: RecordIdPath, runtime: Runtime, access: PatientStaff
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
    episode_id: RecordIdPath,
    request: RiskBody,
    runtime: Runtime,
    policy: MatchingPolicy,
    access: Clinician,
) -> EpisodeRisk:
    assessment = RiskRequest(level=request.level, assessed_by=access.subject)
    async with runtime.unit_of_work() as session:
        await _ensure_episode(session, access, episode_id)
        return await handlers.assess_risk(session, episode_id, assessment, policy)


@router.get("/episodes/{episode_id}/risk", response_model=RiskView, summary="An episode's risk")
async def get_risk(episode_id: RecordIdPath, runtime: Runtime, access: PatientStaff) -> EpisodeRisk:
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
    mentor_id: RecordIdPath,
    request: ConflictRequest,
    runtime: Runtime,
    policy: MatchingPolicy,
    access: MentorCare,
) -> MentorExclusion:
    async with runtime.unit_of_work() as session:
        await _ensure_mentor_in_care(session, access, mentor_id)
        return await handlers.declare_conflict(session, mentor_id, request, policy)


@router.get(
    "/mentors/{mentor_id}/conflicts",
    response_model=list[ConflictView],
    summary="Patients a mentor declared a conflict of interest with",
)
async def list_conflicts(
    mentor_id: RecordIdPath, runtime: Runtime, access: MentorCare
) -> list[MentorExclusion]:
    async with runtime.sessionmaker() as session:
        await _ensure_mentor_in_care(session, access, mentor_id)
        return await handlers.conflicts_of(session, mentor_id)


async def _ensure_episode(session: AsyncSession, access: Access, episode_id: str) -> None:
    scope = visible(access, REACH, episode=col(EpisodeProjection.episode_id))
    what = f"episode {episode_id!r}"
    await ensure_visible(session, col(EpisodeProjection.episode_id), episode_id, scope, what)


async def _ensure_mentor_in_care(session: AsyncSession, access: Access, mentor_id: str) -> None:
    scope = visible(access, REACH, mentor=col(Mentor.mentor_id))
    await ensure_visible(session, col(Mentor.mentor_id), mentor_id, scope, f"mentor {mentor_id!r}")
