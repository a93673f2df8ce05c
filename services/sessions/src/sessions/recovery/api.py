"""Recovery REST API: the patient's goals and check-ins, and standard questionnaires."""

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Query, status
from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from sessions.reach import REACH, Mentoring, Oversight, ensure_match
from sessions.recovery import handlers
from sessions.recovery.models import Goal, QuestionnaireResponse
from sessions.recovery.options import RecoveryOptions
from sessions.recovery.schemas import (
    CheckInRequest,
    CloseGoalRequest,
    DueView,
    GoalRequest,
    GoalView,
    QuestionnaireView,
    ResponseRequest,
    ResponseView,
)
from shared.access import Access, allow, ensure_patient, ensure_visible, visible
from shared.depends import Runtime, options
from shared.fields import Offset, RecordIdPath
from shared.web import ERROR_RESPONSES

AnyStaff = Annotated[Access, allow("coordinator", "clinician", "supervisor", "mentor")]
Options = Annotated[RecoveryOptions, options(RecoveryOptions)]

router = APIRouter(tags=["recovery"], responses=ERROR_RESPONSES)


def goals_of(access: Access) -> ColumnElement[bool]:
    """The goals a caller reaches: their branch's patients', their mentees', their mentors'."""
    return visible(access, REACH, patient=col(Goal.patient_ref), mentor=col(Goal.mentor_id))


async def ensure_goal(session: AsyncSession, access: Access, goal_id: str) -> None:
    """404 unless the caller reaches this goal."""
    await ensure_visible(session, col(Goal.goal_id), goal_id, goals_of(access), f"goal {goal_id!r}")


@router.post(
    "/goals",
    response_model=GoalView,
    status_code=status.HTTP_201_CREATED,
    summary="The patient sets a recovery goal with their mentor",
)
async def set_goal(
    request: GoalRequest, runtime: Runtime, opts: Options, access: Mentoring
) -> Goal:
    async with runtime.unit_of_work() as session:
        await ensure_match(session, access, request.match_id)
        return await handlers.set_goal(session, request, opts.clock.now())


@router.get("/goals", response_model=list[GoalView], summary="Goals, newest first")
async def list_goals(
    runtime: Runtime,
    access: Oversight,
    patient_ref: str | None = None,
    match_id: str | None = None,
    offset: Offset = 0,
    limit: int = Query(100, ge=1, le=1000),
) -> list[Goal]:
    query = (
        select(Goal).where(goals_of(access)).order_by(col(Goal.set_at).desc(), col(Goal.goal_id))
    )
    for column, value in ((col(Goal.patient_ref), patient_ref), (col(Goal.match_id), match_id)):
        if value is not None:
            query = query.where(column == value)
    async with runtime.sessionmaker() as session:
        return list(await session.scalars(query.offset(offset).limit(limit)))


@router.post(
    "/goals/{goal_id}/check-ins", response_model=GoalView, summary="Record progress on a goal"
)
async def check_in(
    goal_id: RecordIdPath,
    request: CheckInRequest,
    runtime: Runtime,
    opts: Options,
    access: Mentoring,
) -> Goal:
    async with runtime.unit_of_work() as session:
        await ensure_goal(session, access, goal_id)
        return await handlers.check_in(session, goal_id, request, opts.clock.now())


@router.post(
    "/goals/{goal_id}/close",
    response_model=GoalView,
    summary="Close a goal: achieved, changed or dropped",
)
async def close(
    goal_id: RecordIdPath,
    request: CloseGoalRequest,
    runtime: Runtime,
    opts: Options,
    access: Mentoring,
) -> Goal:
    async with runtime.unit_of_work() as session:
        await ensure_goal(session, access, goal_id)
        return await handlers.close(session, goal_id, request, opts.clock.now())


@router.get(
    "/questionnaires",
    response_model=list[QuestionnaireView],
    summary="Standard questionnaires shipped with Saathi (free to use)",
)
async def list_questionnaires(_: AnyStaff) -> list[QuestionnaireView]:
    return [
        QuestionnaireView(
            questionnaire_id=q.questionnaire_id,
            title=q.title,
            licence=q.licence,
            scale_min=q.scale_min,
            scale_max=q.scale_max,
            items=[asdict(item) for item in q.items],
            remeasure_every_days=q.remeasure_every_days,
        )
        for q in handlers.shipped().values()
    ]


@router.post(
    "/questionnaires/{questionnaire_id}/responses",
    response_model=ResponseView,
    status_code=status.HTTP_201_CREATED,
    summary="Score a patient's answers (the first is their baseline)",
)
async def respond(
    questionnaire_id: RecordIdPath,
    request: ResponseRequest,
    runtime: Runtime,
    opts: Options,
    access: Mentoring,
) -> QuestionnaireResponse:
    async with runtime.unit_of_work() as session:
        await ensure_match(session, access, request.match_id)
        return await handlers.respond(
            session, questionnaire_id, request.match_id, request.answers, opts.clock.now()
        )


@router.get(
    "/patients/{patient_ref}/questionnaires",
    response_model=list[DueView],
    summary="Each questionnaire's last score for the patient and when it is next due",
)
async def due(
    patient_ref: RecordIdPath, runtime: Runtime, opts: Options, access: AnyStaff
) -> list[DueView]:
    async with runtime.sessionmaker() as session:
        await ensure_patient(session, access, REACH, patient_ref)
        rows = await handlers.schedule_of(session, patient_ref, opts.clock.now())
    return [
        DueView(
            questionnaire_id=q.questionnaire_id,
            due_at=due_at,
            last=ResponseView.model_validate(last) if last else None,
        )
        for q, last, due_at in rows
    ]
