"""EHR REST API: admissions (one or a batch), episodes, discharges, cancellations, transfers."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response, status

from intake.ehr import handlers, read_handlers
from intake.ehr.domain import EhrOptions
from intake.ehr.schemas import (
    AdmissionBatch,
    AdmissionRequest,
    AdmissionResponse,
    DischargeRequest,
    EpisodeView,
    TransferRequest,
)
from intake.reach import Feed, Readers, episodes_of
from shared.access import forbid_other_branch
from shared.contracts.intake import EpisodeState
from shared.depends import Runtime, options
from shared.fields import Offset
from shared.web import ERROR_RESPONSES

Options = Annotated[EhrOptions, options(EhrOptions)]

# Routes carry no docstring: FastAPI would publish it as the operation's description.
router = APIRouter(tags=["intake"], responses=ERROR_RESPONSES)


@router.post(
    "/admissions",
    response_model=AdmissionResponse,
    status_code=status.HTTP_201_CREATED,
    summary="Admit a patient (idempotent per branch and visit number)",
)
async def admit(
    request: AdmissionRequest,
    response: Response,
    access: Feed,
    runtime: Runtime,
    ehr_options: Options,
) -> AdmissionResponse:
    forbid_other_branch(access, request.branch)
    async with runtime.unit_of_work() as session:
        episode, created = await handlers.admit(session, request, ehr_options)
    if not created:
        response.status_code = status.HTTP_200_OK
    return AdmissionResponse(episode=episode, created=created)


@router.post(
    "/admissions/batch",
    response_model=list[AdmissionResponse],
    summary="Admit up to 500 patients in one transaction (all or none)",
)
async def admit_batch(
    batch: AdmissionBatch, access: Feed, runtime: Runtime, ehr_options: Options
) -> list[AdmissionResponse]:
    for admission in batch.admissions:
        forbid_other_branch(access, admission.branch)
    async with runtime.unit_of_work() as session:
        results = await handlers.admit_batch(session, batch.admissions, ehr_options)
    return [AdmissionResponse(episode=episode, created=created) for episode, created in results]


@router.get(
    "/episodes",
    response_model=list[EpisodeView],
    summary="Episodes, oldest first; by status, branch, patient or visit number",
)
async def list_episodes(
    access: Readers,
    runtime: Runtime,
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
) -> list[EpisodeView]:
    wanted = read_handlers.EpisodeFilter(
        status_filter, branch, patient_ref, visit_number, visit_authority
    )
    async with runtime.sessionmaker() as session:
        return await read_handlers.list_episodes(
            session, wanted, offset, limit, episodes_of(access)
        )


@router.get(
    "/episodes/{episode_id}",
    response_model=EpisodeView,
    summary="An episode's state and visit number",
)
async def get_episode(episode_id: str, access: Readers, runtime: Runtime) -> EpisodeView:
    async with runtime.sessionmaker() as session:
        return await read_handlers.get_episode(session, episode_id, episodes_of(access))


@router.post(
    "/episodes/{episode_id}/discharge",
    response_model=EpisodeState,
    summary="Discharge an admitted patient",
)
async def discharge(
    episode_id: str, request: DischargeRequest, access: Feed, runtime: Runtime
) -> EpisodeState:
    async with runtime.unit_of_work() as session:
        return await handlers.discharge(session, episode_id, request, episodes_of(access))


@router.post(
    "/episodes/{episode_id}/cancel-admission",
    response_model=EpisodeState,
    summary="Cancel an admission entered in error",
)
async def cancel_admission(episode_id: str, access: Feed, runtime: Runtime) -> EpisodeState:
    async with runtime.unit_of_work() as session:
        return await handlers.cancel_admission(session, episode_id, episodes_of(access))


@router.post(
    "/episodes/{episode_id}/cancel-discharge",
    response_model=EpisodeState,
    summary="Cancel a discharge (the patient stays admitted)",
)
async def cancel_discharge(episode_id: str, access: Feed, runtime: Runtime) -> EpisodeState:
    async with runtime.unit_of_work() as session:
        return await handlers.cancel_discharge(session, episode_id, episodes_of(access))


@router.post(
    "/episodes/{episode_id}/transfer",
    response_model=EpisodeState,
    summary="Transfer an admitted patient to another ward or branch",
)
async def transfer(
    episode_id: str, request: TransferRequest, access: Feed, runtime: Runtime, ehr_options: Options
) -> EpisodeState:
    async with runtime.unit_of_work() as session:
        return await handlers.transfer(
            session, episode_id, request, ehr_options.branches, episodes_of(access)
        )
