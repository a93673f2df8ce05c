"""Aftercare REST API: outpatient groups as aftercare fills them, enrolments, patients'
wishes, and tasks."""

from typing import Literal

from fastapi import APIRouter, Query
from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from aftercare import tasks, wishes
from aftercare.config import AftercareSettings
from aftercare.models import AftercareWish, Enrolment, OutpatientGroup, Task
from aftercare.reach import REACH, groups_of
from aftercare.schemas import (
    EnrolmentView,
    GroupView,
    TaskDoneRequest,
    TaskView,
    WishRequest,
    WishView,
)
from shared.access import Access, allow, ensure_patient, ensure_visible, visible
from shared.contracts.envelope import utcnow
from shared.db import get_or_not_found
from shared.fields import Code, LanguageCode, Offset, RecordId, RecordIdPath
from shared.runtime import ServiceRuntime
from shared.web import ERROR_RESPONSES

ANY_STAFF = allow("coordinator", "clinician", "supervisor", "mentor")
CARE = allow("coordinator", "mentor")
COORDINATORS = allow("coordinator")


def enrolments_of(access: Access) -> ColumnElement[bool]:
    """Enrolments a caller reaches: their branch's, or a mentor's continuing mentees'."""
    return visible(access, REACH, branch=col(Enrolment.branch), mentor=col(Enrolment.mentor_id))


def tasks_of(access: Access) -> ColumnElement[bool]:
    """Tasks a caller reaches: their branch's, or those assigned to the mentor."""
    return visible(access, REACH, branch=col(Task.branch), mentor=col(Task.assignee_id))


async def ensure_enrolment(session: AsyncSession, access: Access, enrolment_id: str) -> None:
    """404 unless the caller reaches this enrolment."""
    what = f"enrolment {enrolment_id!r}"
    key = col(Enrolment.enrolment_id)
    await ensure_visible(session, key, enrolment_id, enrolments_of(access), what)


def build_router(runtime: ServiceRuntime, settings: AftercareSettings) -> APIRouter:
    """Routes of the aftercare service."""
    router = APIRouter(tags=["aftercare"], responses=ERROR_RESPONSES)

    @router.get(
        "/groups",
        response_model=list[GroupView],
        summary="Outpatient groups (set up in sessions) with the places filled",
    )
    async def list_groups(
        branch: Code | None = None,
        language: LanguageCode | None = None,
        access: Access = ANY_STAFF,
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
    async def get_group(group_id: RecordIdPath, access: Access = ANY_STAFF) -> OutpatientGroup:
        async with runtime.sessionmaker() as session:
            key = col(OutpatientGroup.group_id)
            await ensure_visible(session, key, group_id, groups_of(access), f"group {group_id!r}")
            return await get_or_not_found(session, OutpatientGroup, group_id, f"group {group_id!r}")

    @router.get(
        "/enrolments", response_model=list[EnrolmentView], summary="Enrolments, newest first"
    )
    async def list_enrolments(
        episode_id: RecordId | None = None,
        patient_ref: RecordId | None = None,
        group_id: RecordId | None = None,
        status_filter: Literal["enrolled", "waitlisted", "cancelled"] | None = Query(
            None, alias="status"
        ),
        offset: Offset = 0,
        limit: int = Query(100, ge=1, le=1000),
        access: Access = CARE,
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
        patient_ref: RecordIdPath, request: WishRequest, access: Access = COORDINATORS
    ) -> AftercareWish:
        async with runtime.unit_of_work() as session:
            await ensure_patient(session, access, REACH, patient_ref)
            return await wishes.record(session, patient_ref, request, settings)

    @router.get(
        "/tasks",
        response_model=list[TaskView],
        summary="Tasks by branch, assignee or kind (open ones unless asked)",
    )
    async def list_tasks(
        branch: Code | None = None,
        assignee_id: RecordId | None = None,
        kind: Code | None = None,
        status_filter: Literal["open", "done", "cancelled"] = Query("open", alias="status"),
        limit: int = Query(100, ge=1, le=1000),
        access: Access = CARE,
    ) -> list[Task]:
        query = select(Task).where(col(Task.status) == status_filter, tasks_of(access))
        query = query.order_by(col(Task.opened_at))
        for column, value in (
            (col(Task.branch), branch),
            (col(Task.assignee_id), assignee_id),
            (col(Task.kind), kind),
        ):
            if value is not None:
                query = query.where(column == value)
        async with runtime.sessionmaker() as session:
            return list(await session.scalars(query.limit(limit)))

    @router.post("/tasks/{task_id}/done", response_model=TaskView, summary="Close a task")
    async def finish_task(
        task_id: RecordIdPath, request: TaskDoneRequest, access: Access = CARE
    ) -> Task:
        async with runtime.unit_of_work() as session:
            await ensure_visible(
                session, col(Task.task_id), task_id, tasks_of(access), f"task {task_id!r}"
            )
            return await tasks.finish(session, task_id, request.outcome, utcnow())

    return router
