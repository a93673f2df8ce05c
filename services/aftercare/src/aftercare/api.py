"""Aftercare REST API: outpatient groups as aftercare fills them, enrolments, patients'
wishes, and tasks."""

from typing import Literal

from fastapi import APIRouter, Query
from sqlalchemy import select
from sqlmodel import col

from aftercare import tasks, wishes
from aftercare.config import AftercareSettings
from aftercare.models import AftercareWish, Enrolment, OutpatientGroup, Task
from aftercare.schemas import (
    EnrolmentView,
    GroupView,
    TaskDoneRequest,
    TaskView,
    WishRequest,
    WishView,
)
from shared.contracts.envelope import utcnow
from shared.db import get_or_not_found
from shared.fields import Code, LanguageCode, RecordId, RecordIdPath
from shared.runtime import ServiceRuntime
from shared.web import ERROR_RESPONSES


def build_router(runtime: ServiceRuntime, settings: AftercareSettings) -> APIRouter:
    """Routes of the aftercare service."""
    router = APIRouter(tags=["aftercare"], responses=ERROR_RESPONSES)

    @router.get(
        "/groups",
        response_model=list[GroupView],
        summary="Outpatient groups (set up in sessions) with the places filled",
    )
    async def list_groups(
        branch: Code | None = None, language: LanguageCode | None = None
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
    async def get_group(group_id: RecordIdPath) -> OutpatientGroup:
        async with runtime.sessionmaker() as session:
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

    @router.put(
        "/patients/{patient_ref}/aftercare-wish",
        response_model=WishView,
        summary="Record the branch nearest the patient's home and the group focus they want",
    )
    async def record_wish(patient_ref: RecordIdPath, request: WishRequest) -> AftercareWish:
        async with runtime.unit_of_work() as session:
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
    ) -> list[Task]:
        query = select(Task).where(col(Task.status) == status_filter).order_by(col(Task.opened_at))
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
    async def finish_task(task_id: RecordIdPath, request: TaskDoneRequest) -> Task:
        async with runtime.unit_of_work() as session:
            return await tasks.finish(session, task_id, request.outcome, utcnow())

    return router
