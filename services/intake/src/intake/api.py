"""Intake REST API: admissions, discharges, cancellations, transfers and consent."""

from fastapi import APIRouter, Response, status

from intake import handlers
from intake.config import IntakeSettings
from intake.schemas import (
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
