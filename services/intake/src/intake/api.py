"""Intake REST API: admissions, discharges, cancellations, transfers and consent."""

from typing import Literal

from fastapi import APIRouter, Query, Response, status
from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from intake import consent, episode_reads, erasure, handlers, identifiers
from intake.config import IntakeSettings
from intake.consent_texts import CONSENT_TEXTS
from intake.identity import find_patient, identifiers_of
from intake.models import Episode, Patient, StayConsent
from intake.reach import REACH
from intake.schemas import (
    AdmissionBatch,
    AdmissionRequest,
    AdmissionResponse,
    ConsentRequest,
    ConsentText,
    ConsentView,
    DischargeRequest,
    EpisodeView,
    IdentifierView,
    PatientView,
    TransferRequest,
)
from shared.access import Access, allow, forbid_other_branch, reaches_patient, visible
from shared.audit import declare_purpose
from shared.contracts.envelope import utcnow
from shared.contracts.intake import EpisodeState
from shared.errors import NotFound
from shared.fields import Offset
from shared.runtime import ServiceRuntime
from shared.web import ERROR_RESPONSES

FEED = allow("ehr_feed", "coordinator")
READERS = allow("ehr_feed", "coordinator", "clinician")
STAFF = allow("coordinator", "clinician")
PRIVACY = allow("privacy_officer")
ANYONE = allow("ehr_feed", "coordinator", "clinician", "mentor", "supervisor", "privacy_officer")


def episodes_of(access: Access) -> ColumnElement[bool]:
    """The episodes a caller reaches."""
    return visible(access, REACH, branch=col(Episode.branch))


def build_router(runtime: ServiceRuntime, settings: IntakeSettings) -> APIRouter:
    """Routes of the intake service."""
    router = APIRouter(tags=["intake"], responses=ERROR_RESPONSES)

    @router.post(
        "/admissions",
        response_model=AdmissionResponse,
        status_code=status.HTTP_201_CREATED,
        summary="Admit a patient (idempotent per branch and visit number)",
    )
    async def admit(
        request: AdmissionRequest, response: Response, access: Access = FEED
    ) -> AdmissionResponse:
        forbid_other_branch(access, request.branch)
        async with runtime.unit_of_work() as session:
            episode, created = await handlers.admit(
                session, request, settings.branches, settings.consent_carry_over
            )
        if not created:
            response.status_code = status.HTTP_200_OK
        return AdmissionResponse(episode=episode, created=created)

    @router.post(
        "/admissions/batch",
        response_model=list[AdmissionResponse],
        summary="Admit up to 500 patients in one transaction (all or none)",
    )
    async def admit_batch(batch: AdmissionBatch, access: Access = FEED) -> list[AdmissionResponse]:
        for admission in batch.admissions:
            forbid_other_branch(access, admission.branch)
        async with runtime.unit_of_work() as session:
            results = await handlers.admit_batch(
                session, batch.admissions, settings.branches, settings.consent_carry_over
            )
        return [AdmissionResponse(episode=episode, created=created) for episode, created in results]

    @router.get(
        "/episodes",
        response_model=list[EpisodeView],
        summary="Episodes, oldest first; by status, branch, patient or visit number",
    )
    async def list_episodes(
        status_filter: Literal["admitted", "discharged", "cancelled"] | None = Query(
            None, alias="status"
        ),
        branch: str | None = Query(None, max_length=64),
        patient_ref: str | None = Query(None, max_length=40),
        visit_number: str | None = Query(None, max_length=64),
        visit_authority: str | None = Query(
            None, max_length=64, description="who numbered the visit (with visit_number)"
        ),
        offset: Offset = 0,
        limit: int = Query(100, ge=1, le=1000),
        access: Access = READERS,
    ) -> list[EpisodeView]:
        wanted = episode_reads.EpisodeFilter(
            status_filter, branch, patient_ref, visit_number, visit_authority
        )
        async with runtime.sessionmaker() as session:
            return await episode_reads.list_episodes(
                session, wanted, offset, limit, episodes_of(access)
            )

    @router.get(
        "/episodes/{episode_id}",
        response_model=EpisodeView,
        summary="An episode's state and visit number",
    )
    async def get_episode(episode_id: str, access: Access = READERS) -> EpisodeView:
        async with runtime.sessionmaker() as session:
            return await handlers.get_episode(session, episode_id, episodes_of(access))

    @router.post(
        "/episodes/{episode_id}/discharge",
        response_model=EpisodeState,
        summary="Discharge an admitted patient",
    )
    async def discharge(
        episode_id: str, request: DischargeRequest, access: Access = FEED
    ) -> EpisodeState:
        async with runtime.unit_of_work() as session:
            return await handlers.discharge(session, episode_id, request, episodes_of(access))

    @router.post(
        "/episodes/{episode_id}/cancel-admission",
        response_model=EpisodeState,
        summary="Cancel an admission entered in error",
    )
    async def cancel_admission(episode_id: str, access: Access = FEED) -> EpisodeState:
        async with runtime.unit_of_work() as session:
            return await handlers.cancel_admission(session, episode_id, episodes_of(access))

    @router.post(
        "/episodes/{episode_id}/cancel-discharge",
        response_model=EpisodeState,
        summary="Cancel a discharge (the patient stays admitted)",
    )
    async def cancel_discharge(episode_id: str, access: Access = FEED) -> EpisodeState:
        async with runtime.unit_of_work() as session:
            return await handlers.cancel_discharge(session, episode_id, episodes_of(access))

    @router.post(
        "/episodes/{episode_id}/transfer",
        response_model=EpisodeState,
        summary="Transfer an admitted patient to another ward or branch",
    )
    async def transfer(
        episode_id: str, request: TransferRequest, access: Access = FEED
    ) -> EpisodeState:
        async with runtime.unit_of_work() as session:
            return await handlers.transfer(
                session, episode_id, request, settings.branches, episodes_of(access)
            )

    @router.put(
        "/episodes/{episode_id}/consent",
        response_model=ConsentView,
        summary="Record the patient's peer-support answer for this stay (given/declined/withdrawn)",
    )
    async def record_stay_consent(
        episode_id: str, request: ConsentRequest, access: Access = STAFF
    ) -> ConsentView:
        async with runtime.unit_of_work() as session:
            row = await handlers.record_consent(session, episode_id, request, episodes_of(access))
            return ConsentView.model_validate(row, from_attributes=True)

    @router.get(
        "/episodes/{episode_id}/consent",
        response_model=ConsentView,
        summary="The patient's peer-support answer for this stay (404: not asked yet)",
    )
    async def stay_consent(episode_id: str, access: Access = STAFF) -> ConsentView:
        async with runtime.sessionmaker() as session:
            episode = await handlers.get_episode(session, episode_id, episodes_of(access))
            row = await session.get(StayConsent, episode.episode_id)
            if row is None:
                raise NotFound(f"no consent answer recorded for episode {episode_id!r} yet")
            return ConsentView.model_validate(row, from_attributes=True)

    @router.put(
        "/patients/{patient_ref}/consent",
        response_model=ConsentView,
        summary="Record the patient's answer for their current stay (a withdrawal: every stay)",
    )
    async def record_consent(
        patient_ref: str, request: ConsentRequest, access: Access = STAFF
    ) -> ConsentView:
        async with runtime.unit_of_work() as session:
            await _reachable_patient(session, access, patient_ref)
            row = await consent.record_for_patient(session, patient_ref, request)
            return ConsentView.model_validate(row, from_attributes=True)

    @router.get(
        "/patients/{patient_ref}/consents",
        response_model=list[ConsentView],
        summary="The patient's peer-support answers, one per stay, latest first",
    )
    async def consents(patient_ref: str, access: Access = STAFF) -> list[ConsentView]:
        async with runtime.sessionmaker() as session:
            await _reachable_patient(session, access, patient_ref)
            rows = await consent.answers_of(session, patient_ref)
            return [ConsentView.model_validate(row, from_attributes=True) for row in rows]

    @router.post(
        "/patients/{patient_ref}/erasure",
        response_model=PatientView,
        summary="Erase the patient's identity at their request (DPDP); every service follows",
    )
    async def erase(patient_ref: str, access: Access = PRIVACY) -> PatientView:
        declare_purpose("dpdp_erasure")
        async with runtime.unit_of_work() as session:
            patient = await erasure.erase(
                session,
                (await _reachable_patient(session, access, patient_ref)).patient_ref,
                utcnow(),
            )
            return await _patient_view(session, patient)

    @router.get(
        "/consent-texts",
        response_model=list[ConsentText],
        summary="Consent texts staff can show, by version and language",
    )
    async def consent_texts(_: Access = ANYONE) -> list[ConsentText]:
        return [
            ConsentText(version=version, language=language, title=title)
            for (version, language), title in sorted(CONSENT_TEXTS.items())
        ]

    @router.get(
        "/patients",
        response_model=PatientView,
        summary="Find a patient by an identifier (authority, type, value), e.g. an MRN, an "
        "enterprise id or an ABHA number however written",
    )
    async def find(
        value: str = Query(..., min_length=1, max_length=64),
        kind: str = Query(
            identifiers.MEDICAL_RECORD,
            alias="type",
            max_length=32,
            description="MR (default), PE, PI …, ABHA or ABHA-ADDRESS",
        ),
        authority: str = Query(
            "", max_length=128, description="who assigned it (not needed for ABHA)"
        ),
        access: Access = READERS,
    ) -> PatientView:
        wanted = identifiers.make(authority, kind, value)
        async with runtime.sessionmaker() as session:
            patient = await find_patient(session, (wanted,))
            if patient is not None and not await reaches_patient(
                session, access, REACH, patient.patient_ref
            ):
                patient = None
            if patient is None:
                raise NotFound(f"no patient with that {wanted.type} of {wanted.authority}")
            return await _patient_view(session, patient)

    @router.get(
        "/patients/{patient_ref}", response_model=PatientView, summary="A patient's identity"
    )
    async def get_patient(patient_ref: str, access: Access = STAFF) -> PatientView:
        async with runtime.sessionmaker() as session:
            return await _patient_view(
                session, await _reachable_patient(session, access, patient_ref)
            )

    return router


async def _reachable_patient(session: AsyncSession, access: Access, patient_ref: str) -> Patient:
    """The patient when the caller reaches them (a stay at their branch), else 404."""
    patient = await session.get(Patient, patient_ref)
    if patient is None or not await reaches_patient(session, access, REACH, patient_ref):
        raise NotFound(f"no patient {patient_ref!r}")
    return patient


async def _patient_view(session: AsyncSession, patient: Patient) -> PatientView:
    held = await identifiers_of(session, patient.patient_ref)
    return PatientView(
        **patient.model_dump(exclude={"created_at", "updated_at"}),
        identifiers=[IdentifierView(**vars(i), display=identifiers.display(i)) for i in held],
    )
