"""Aftercare's closed loop over REST: tasks, follow-ups and their contacts, drop-off reasons,
and readmissions."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from sqlalchemy import ColumnElement, select
from sqlmodel import col

from aftercare.enrolment import domain as enrolment_rules
from aftercare.enrolment.handlers.reconcile import cancel
from aftercare.enrolment.models import Enrolment, Readmission
from aftercare.enrolment.options import EnrolmentOptions
from aftercare.enrolment.schemas import EnrolmentView
from aftercare.follow_up.handlers import follow_ups, tasks
from aftercare.follow_up.models import FollowUp, Task
from aftercare.follow_up.options import FollowUpOptions
from aftercare.follow_up.schemas import (
    ContactRequest,
    DropOffRequest,
    FollowUpView,
    ReadmissionView,
    TaskDoneRequest,
    TaskView,
)
from aftercare.reach import REACH, ensure_enrolment
from shared.access import Access, allow, claim_person, ensure_visible, visible
from shared.contracts.envelope import utcnow
from shared.db import get_or_not_found
from shared.depends import Runtime, options
from shared.errors import Conflict
from shared.fields import Code, RecordId, RecordIdPath
from shared.web import ERROR_RESPONSES

Care = Annotated[Access, allow("coordinator", "mentor")]
PatientStaff = Annotated[Access, allow("coordinator", "clinician")]
Options = Annotated[FollowUpOptions, options(FollowUpOptions)]
Enrolling = Annotated[EnrolmentOptions, options(EnrolmentOptions)]

# Routes have summaries, not docstrings: FastAPI would publish a docstring in the OpenAPI.
# Each route names its OpenAPI tag: tasks keep the one they were published under ("aftercare"),
# the rest is the follow-up loop.
router = APIRouter(responses=ERROR_RESPONSES)


def tasks_of(access: Access) -> ColumnElement[bool]:
    """Tasks a caller reaches: their branch's, or those assigned to the mentor."""
    return visible(access, REACH, branch=col(Task.branch), mentor=col(Task.assignee_id))


def follow_ups_of(access: Access) -> ColumnElement[bool]:
    """Follow-ups a caller reaches: their branch's, or a mentor's mentees'."""
    return visible(access, REACH, branch=col(FollowUp.branch), patient=col(FollowUp.patient_ref))


@router.get(
    "/tasks",
    response_model=list[TaskView],
    summary="Tasks by branch, assignee or kind (open ones unless asked)",
    tags=["aftercare"],
)
async def list_tasks(
    access: Care,
    runtime: Runtime,
    branch: Code | None = None,
    assignee_id: RecordId | None = None,
    kind: Code | None = None,
    status_filter: Annotated[Literal["open", "done", "cancelled"], Query(alias="status")] = "open",
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
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


@router.post(
    "/tasks/{task_id}/done", response_model=TaskView, summary="Close a task", tags=["aftercare"]
)
async def finish_task(
    task_id: RecordIdPath, request: TaskDoneRequest, access: Care, runtime: Runtime
) -> Task:
    async with runtime.unit_of_work() as session:
        await ensure_visible(
            session, col(Task.task_id), task_id, tasks_of(access), f"task {task_id!r}"
        )
        return await tasks.finish(session, task_id, request.outcome, utcnow())


@router.get(
    "/follow-ups",
    response_model=list[FollowUpView],
    summary="Follow-ups, soonest due first",
    tags=["follow-up"],
)
async def list_follow_ups(
    access: Care,
    runtime: Runtime,
    episode_id: RecordId | None = None,
    patient_ref: RecordId | None = None,
    branch: Code | None = None,
    status_filter: Annotated[
        Literal["due", "completed", "missed", "cancelled"] | None, Query(alias="status")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[FollowUp]:
    query = select(FollowUp).where(follow_ups_of(access)).order_by(col(FollowUp.due_by))
    for column, value in (
        (col(FollowUp.episode_id), episode_id),
        (col(FollowUp.patient_ref), patient_ref),
        (col(FollowUp.branch), branch),
        (col(FollowUp.status), status_filter),
    ):
        if value is not None:
            query = query.where(column == value)
    async with runtime.sessionmaker() as session:
        return list(await session.scalars(query.limit(limit)))


@router.post(
    "/follow-ups/{follow_up_id}/contacts",
    response_model=FollowUpView,
    summary="Record a try to reach the patient (reached in the window: completed)",
    tags=["follow-up"],
)
async def contact(
    follow_up_id: RecordIdPath,
    request: ContactRequest,
    access: Care,
    runtime: Runtime,
    follow_up_options: Options,
) -> FollowUp:
    claim_person(access, request.by, "by")
    now = follow_up_options.clock.now()
    async with runtime.unit_of_work() as session:
        what = f"follow-up {follow_up_id!r}"
        key = col(FollowUp.follow_up_id)
        await ensure_visible(session, key, follow_up_id, follow_ups_of(access), what)
        row, _ = await follow_ups.record_contact(
            session,
            follow_up_id,
            at=request.at or now,
            reached=request.reached,
            channel=request.channel,
            by=request.by,
            tz=follow_up_options.branch_tz,
            now=now,
        )
        return row


@router.post(
    "/enrolments/{enrolment_id}/drop-off",
    response_model=EnrolmentView,
    summary="The patient stopped coming: the enrolment ends with the reason",
    tags=["follow-up"],
)
async def drop_off(
    enrolment_id: RecordIdPath,
    request: DropOffRequest,
    access: Care,
    runtime: Runtime,
    enrolment_options: Enrolling,
) -> Enrolment:
    async with runtime.unit_of_work() as session:
        await ensure_enrolment(session, access, enrolment_id)
        row = await get_or_not_found(
            session, Enrolment, enrolment_id, f"enrolment {enrolment_id!r}", for_update=True
        )
        if row.status != "enrolled":
            raise Conflict(f"the enrolment is {row.status}; only an enrolled patient drops off")
        reason = f"{enrolment_rules.DROPPED_OUT}{request.reason}"
        await cancel(session, row, reason, enrolment_options, None)
        return row


@router.get(
    "/readmissions",
    response_model=list[ReadmissionView],
    summary="Readmissions within 30 days at any branch, newest first",
    tags=["follow-up"],
)
async def readmissions(
    access: PatientStaff,
    runtime: Runtime,
    branch: Code | None = None,
    patient_ref: RecordId | None = None,
) -> list[Readmission]:
    query = (
        select(Readmission)
        .where(visible(access, REACH, branch=col(Readmission.branch)))
        .order_by(col(Readmission.admitted_at).desc())
    )
    if branch is not None:
        query = query.where(col(Readmission.branch) == branch)
    if patient_ref is not None:
        query = query.where(col(Readmission.patient_ref) == patient_ref)
    async with runtime.sessionmaker() as session:
        return list(await session.scalars(query.limit(500)))
