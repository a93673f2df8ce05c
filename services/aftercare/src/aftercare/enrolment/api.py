"""Enrolment over REST: outpatient groups as aftercare fills them, enrolments, and patients'
wishes."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from sqlalchemy import select
from sqlmodel import col

from aftercare.enrolment.handlers import wishes
from aftercare.enrolment.models import AftercareWish, Enrolment, OutpatientGroup
from aftercare.enrolment.options import EnrolmentOptions
from aftercare.enrolment.schemas import EnrolmentView, GroupView, WishRequest, WishView
from aftercare.reach import REACH, enrolments_of, groups_of
from shared.access import Access, allow, ensure_patient, ensure_visible
from shared.db import get_or_not_found
from shared.depends import Runtime, options
from shared.fields import Code, LanguageCode, Offset, RecordId, RecordIdPath
from shared.web import ERROR_RESPONSES

AnyStaff = Annotated[Access, allow("coordinator", "clinician", "supervisor", "mentor")]
Care = Annotated[Access, allow("coordinator", "mentor")]
Coordinators = Annotated[Access, allow("coordinator")]
Options = Annotated[EnrolmentOptions, options(EnrolmentOptions)]

# Routes have summaries, not docstrings: FastAPI would publish a docstring in the OpenAPI.
router = APIRouter(tags=["aftercare"], responses=ERROR_RESPONSES)


@router.get(
    "/groups",
    response_model=list[GroupView],
    summary="Outpatient groups (set up in sessions) with the places filled",
)
async def list_groups(
    access: AnyStaff,
    runtime: Runtime,
    branch: Code | None = None,
    language: LanguageCode | None = None,
) -> list[OutpatientGroup]:
    query = (
        select(OutpatientGroup)
        .where(groups_of(access))
        .order_by(col(OutpatientGroup.branch), col(OutpatientGroup.group_id))
    )
    if branch:
        query = query.where(col(OutpatientGroup.branch) == branch)
    if language:
        query = query.where(col(OutpatientGroup.language) == language)
    async with runtime.sessionmaker() as session:
        return list(await session.scalars(query))


@router.get("/groups/{group_id}", response_model=GroupView, summary="One group")
async def get_group(group_id: RecordIdPath, access: AnyStaff, runtime: Runtime) -> OutpatientGroup:
    async with runtime.sessionmaker() as session:
        key = col(OutpatientGroup.group_id)
        await ensure_visible(session, key, group_id, groups_of(access), f"group {group_id!r}")
        return await get_or_not_found(session, OutpatientGroup, group_id, f"group {group_id!r}")


@router.get("/enrolments", response_model=list[EnrolmentView], summary="Enrolments, newest first")
async def list_enrolments(
    access: Care,
    runtime: Runtime,
    episode_id: RecordId | None = None,
    patient_ref: RecordId | None = None,
    group_id: RecordId | None = None,
    status_filter: Annotated[
        Literal["enrolled", "waitlisted", "cancelled"] | None, Query(alias="status")
    ] = None,
    offset: Offset = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[Enrolment]:
    query = (
        select(Enrolment)
        .where(enrolments_of(access))
        .order_by(col(Enrolment.updated_at).desc(), col(Enrolment.enrolment_id))
    )
    for column, value in (
        (col(Enrolment.episode_id), episode_id),
        (col(Enrolment.patient_ref), patient_ref),
        (col(Enrolment.group_id), group_id),
        (col(Enrolment.status), status_filter),
    ):
        if value is not None:
            query = query.where(column == value)
    async with runtime.sessionmaker() as session:
        return list(await session.scalars(query.offset(offset).limit(limit)))


@router.put(
    "/patients/{patient_ref}/aftercare-wish",
    response_model=WishView,
    summary="Record the branch nearest the patient's home and the group focus they want",
)
async def record_wish(
    patient_ref: RecordIdPath,
    request: WishRequest,
    access: Coordinators,
    runtime: Runtime,
    enrolment_options: Options,
) -> AftercareWish:
    async with runtime.unit_of_work() as session:
        await ensure_patient(session, access, REACH, patient_ref)
        return await wishes.record(session, patient_ref, request, enrolment_options)
