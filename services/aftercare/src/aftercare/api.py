"""Aftercare REST API: outpatient groups and enrolments."""

from typing import Literal

from fastapi import APIRouter, Query, status
from sqlalchemy import select
from sqlmodel import col

from aftercare import handlers
from aftercare.models import Enrolment, OutpatientGroup
from aftercare.schemas import EnrolmentView, GroupCreate, GroupUpdate, GroupView
from shared.errors import NotFound
from shared.runtime import ServiceRuntime
from shared.web import ERROR_RESPONSES


def build_router(runtime: ServiceRuntime) -> APIRouter:
    """Routes of the aftercare service."""
    router = APIRouter(tags=["aftercare"], responses=ERROR_RESPONSES)

    @router.post(
        "/groups",
        response_model=GroupView,
        status_code=status.HTTP_201_CREATED,
        summary="Open an outpatient peer-led group",
    )
    async def create_group(request: GroupCreate) -> OutpatientGroup:
        async with runtime.unit_of_work() as session:
            return await handlers.create_group(session, request)

    @router.get("/groups", response_model=list[GroupView], summary="Outpatient groups")
    async def list_groups(
        branch: str | None = None, language: str | None = None
    ) -> list[OutpatientGroup]:
        query = select(OutpatientGroup).order_by(
            col(OutpatientGroup.branch), col(OutpatientGroup.group_id)
        )
        if branch:
            query = query.where(col(OutpatientGroup.branch) == branch)
        if language:
            query = query.where(col(OutpatientGroup.language) == language)
        async with runtime.sessionmaker() as session:
            return list(await session.scalars(query))

    @router.get("/groups/{group_id}", response_model=GroupView, summary="One group")
    async def get_group(group_id: str) -> OutpatientGroup:
        async with runtime.sessionmaker() as session:
            group = await session.get(OutpatientGroup, group_id)
            if group is None:
                raise NotFound(f"no group {group_id!r}")
            return group

    @router.patch("/groups/{group_id}", response_model=GroupView, summary="Change a group")
    async def update_group(group_id: str, request: GroupUpdate) -> OutpatientGroup:
        async with runtime.unit_of_work() as session:
            return await handlers.update_group(session, group_id, request)

    @router.get(
        "/enrolments", response_model=list[EnrolmentView], summary="Enrolments, newest first"
    )
    async def list_enrolments(
        episode_id: str | None = None,
        patient_ref: str | None = None,
        group_id: str | None = None,
        status_filter: Literal["enrolled", "waitlisted", "cancelled"] | None = Query(
            None, alias="status"
        ),
        offset: int = Query(0, ge=0),
        limit: int = Query(100, ge=1, le=1000),
    ) -> list[Enrolment]:
        query = select(Enrolment).order_by(
            col(Enrolment.updated_at).desc(), col(Enrolment.enrolment_id)
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

    return router
