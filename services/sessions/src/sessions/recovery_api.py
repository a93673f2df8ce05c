"""Recovery REST API: the patient's goals and check-ins, and standard questionnaires."""

from dataclasses import asdict

from fastapi import APIRouter, Query, status
from sqlalchemy import select
from sqlmodel import col

from sessions import goals, questionnaires
from sessions.models import Goal, QuestionnaireResponse
from sessions.schemas import (
    CheckInRequest,
    CloseGoalRequest,
    DueView,
    GoalRequest,
    GoalView,
    QuestionnaireView,
    ResponseRequest,
    ResponseView,
)
from shared.clock import Clock
from shared.fields import RecordIdPath
from shared.runtime import ServiceRuntime
from shared.web import ERROR_RESPONSES


def build_recovery_router(runtime: ServiceRuntime, clock: Clock) -> APIRouter:
    """Routes for goals and questionnaires."""
    router = APIRouter(tags=["recovery"], responses=ERROR_RESPONSES)

    @router.post(
        "/goals",
        response_model=GoalView,
        status_code=status.HTTP_201_CREATED,
        summary="The patient sets a recovery goal with their mentor",
    )
    async def set_goal(request: GoalRequest) -> Goal:
        async with runtime.unit_of_work() as session:
            return await goals.set_goal(session, request, clock.now())

    @router.get("/goals", response_model=list[GoalView], summary="Goals, newest first")
    async def list_goals(
        patient_ref: str | None = None,
        match_id: str | None = None,
        offset: int = Query(0, ge=0),
        limit: int = Query(100, ge=1, le=1000),
    ) -> list[Goal]:
        query = select(Goal).order_by(col(Goal.set_at).desc(), col(Goal.goal_id))
        for column, value in ((col(Goal.patient_ref), patient_ref), (col(Goal.match_id), match_id)):
            if value is not None:
                query = query.where(column == value)
        async with runtime.sessionmaker() as session:
            return list(await session.scalars(query.offset(offset).limit(limit)))

    @router.post(
        "/goals/{goal_id}/check-ins", response_model=GoalView, summary="Record progress on a goal"
    )
    async def check_in(goal_id: RecordIdPath, request: CheckInRequest) -> Goal:
        async with runtime.unit_of_work() as session:
            return await goals.check_in(session, goal_id, request, clock.now())

    @router.post(
        "/goals/{goal_id}/close",
        response_model=GoalView,
        summary="Close a goal: achieved, changed or dropped",
    )
    async def close(goal_id: RecordIdPath, request: CloseGoalRequest) -> Goal:
        async with runtime.unit_of_work() as session:
            return await goals.close(session, goal_id, request, clock.now())

    @router.get(
        "/questionnaires",
        response_model=list[QuestionnaireView],
        summary="Standard questionnaires shipped with Saathi (free to use)",
    )
    async def list_questionnaires() -> list[QuestionnaireView]:
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
            for q in questionnaires.shipped().values()
        ]

    @router.post(
        "/questionnaires/{questionnaire_id}/responses",
        response_model=ResponseView,
        status_code=status.HTTP_201_CREATED,
        summary="Score a patient's answers (the first is their baseline)",
    )
    async def respond(
        questionnaire_id: RecordIdPath, request: ResponseRequest
    ) -> QuestionnaireResponse:
        async with runtime.unit_of_work() as session:
            return await questionnaires.respond(
                session, questionnaire_id, request.match_id, request.answers, clock.now()
            )

    @router.get(
        "/patients/{patient_ref}/questionnaires",
        response_model=list[DueView],
        summary="Each questionnaire's last score for the patient and when it is next due",
    )
    async def due(patient_ref: RecordIdPath) -> list[DueView]:
        async with runtime.sessionmaker() as session:
            rows = await questionnaires.schedule_of(session, patient_ref, clock.now())
        return [
            DueView(
                questionnaire_id=q.questionnaire_id,
                due_at=due_at,
                last=ResponseView.model_validate(last) if last else None,
            )
            for q, last, due_at in rows
        ]

    return router
