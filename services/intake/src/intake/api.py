"""Intake REST API: admissions, discharges, cancellations, transfers and consent."""

from typing import Literal

from fastapi import APIRouter, Query, Response, status

from intake import handlers
from intake.config import IntakeSettings
from intake.schemas import (
    AdmissionBatch,
    AdmissionRequest,
    AdmissionResponse,
    ConsentRequest,
    ConsentView,
    DischargeRequest,
    TransferRequest,
)
from shared.contracts.intake import EpisodeState
from shared.runtime import ServiceRuntime
from shared.web import ERROR_RESPONSES


def build_router(runtime: ServiceRuntime, settings: IntakeSettings) -> APIRouter:
    """Routes of the intake service."""
    router = APIRouter(tags=["intake"], responses=ERROR_RESPONSES)

    @router.post(
        "/admissions",
        response_model=AdmissionResponse,
        status_code=status.HTTP_201_CREATED,
        summary="Admit a patient (idempotent per branch and visit number)",
    )
    async def admit(request: AdmissionRequest, response: Response) -> AdmissionResponse:
        async with runtime.unit_of_work() as session:
            episode, created = await handlers.admit(session, request, settings.branches)
        if not created:
            response.status_code = status.HTTP_200_OK
        return AdmissionResponse(episode=episode, created=created)

    @router.post(
        "/admissions/batch",
        response_model=list[AdmissionResponse],
        summary="Admit up to 500 patients in one transaction (all or none)",
    )
    async def admit_batch(batch: AdmissionBatch) -> list[AdmissionResponse]:
        async with runtime.unit_of_work() as session:
            results = await handlers.admit_batch(session, batch.admissions, settings.branches)
        return [AdmissionResponse(episode=episode, created=created) for episode, created in results]

    @router.get("/episodes", response_model=list[EpisodeState], summary="Episodes, oldest first")
    async def list_episodes(
        status_filter: Literal["admitted", "discharged", "cancelled"] | None = Query(
            None, alias="status"
        ),
        branch: str | None = Query(None, max_length=64),
        offset: int = Query(0, ge=0),
        limit: int = Query(100, ge=1, le=1000),
    ) -> list[EpisodeState]:
        async with runtime.sessionmaker() as session:
            return await handlers.list_episodes(session, status_filter, branch, offset, limit)

    @router.get("/episodes/{episode_id}", response_model=EpisodeState, summary="An episode's state")
    async def get_episode(episode_id: str) -> EpisodeState:
        async with runtime.sessionmaker() as session:
            return await handlers.get_episode(session, episode_id)

    @router.post(
        "/episodes/{episode_id}/discharge",
        response_model=EpisodeState,
        summary="Discharge an admitted patient",
    )
    async def discharge(episode_id: str, request: DischargeRequest) -> EpisodeState:
        async with runtime.unit_of_work() as session:
            return await handlers.discharge(session, episode_id, request)

    @router.post(
        "/episodes/{episode_id}/cancel-admission",
        response_model=EpisodeState,
        summary="Cancel an admission entered in error",
    )
    async def cancel_admission(episode_id: str) -> EpisodeState:
        async with runtime.unit_of_work() as session:
            return await handlers.cancel_admission(session, episode_id)

    @router.post(
        "/episodes/{episode_id}/cancel-discharge",
        response_model=EpisodeState,
        summary="Cancel a discharge (the patient stays admitted)",
    )
    async def cancel_discharge(episode_id: str) -> EpisodeState:
        async with runtime.unit_of_work() as session:
            return await handlers.cancel_discharge(session, episode_id)

    @router.post(
        "/episodes/{episode_id}/transfer",
        response_model=EpisodeState,
        summary="Transfer an admitted patient to another ward or branch",
    )
    async def transfer(episode_id: str, request: TransferRequest) -> EpisodeState:
        async with runtime.unit_of_work() as session:
            return await handlers.transfer(session, episode_id, request, settings.branches)

    @router.put(
        "/patients/{patient_ref}/consent",
        response_model=ConsentView,
        summary="Record the patient's peer-support consent decision",
    )
    async def record_consent(patient_ref: str, request: ConsentRequest) -> ConsentView:
        async with runtime.unit_of_work() as session:
            row = await handlers.record_consent(session, patient_ref, request)
            return ConsentView.model_validate(row, from_attributes=True)

    return router
