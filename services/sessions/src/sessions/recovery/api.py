"""Recovery REST API: the patient's goals and check-ins, and standard questionnaires."""

from dataclasses import asdict

from fastapi import APIRouter, Query, status
from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from sessions import goals, questionnaires
from sessions.api import MENTORING, OVERSIGHT
from sessions.models import Goal, QuestionnaireResponse
from sessions.reach import REACH, ensure_match
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
from shared.access import Access, allow, ensure_patient, ensure_visible, visible
from shared.clock import Clock
from shared.fields import Offset, RecordIdPath
from shared.runtime import ServiceRuntime
from shared.web import ERROR_RESPONSES

ANY_STAFF = allow("coordinator", "clinician", "supervisor", "mentor")


def goals_of(access: Access) -> ColumnElement[bool]:
    """The goals a caller reaches: their branch's patients', their mentees', their mentors'."""
    return visible(access, REACH, patient=col(Goal.patient_ref), mentor=col(Goal.mentor_id))


async def ensure_goal(session: AsyncSession, access: Access, goal_id: str) -> None:
    """404 unless the caller reaches this goal."""
    await ensure_visible(session, col(Goal.goal_id), goal_id, goals_of(access), f"goal {goal_id!r}")


def build_recovery_router(runtime: ServiceRuntime, clock: Clock) -> APIRouter:
    """Routes for goals and questionnaires."""
    router = APIRouter(tags=["recovery"], responses=ERROR_RESPONSES)

    @router.post(
        "/goals",
        response_model=GoalView,
        status_code=status.HTTP_201_CREATED,
        summary="The patient sets a recovery goal with their mentor",
    )
    async def set_goal(request: GoalRequest, access: Access = MENTORING) -> Goal:
        async with runtime.unit_of_work() as session:
            await ensure_match(session, access, request.match_id)
            return await goals.set_goal(session, request, clock.now())

    @router.get("/goals", response_model=list[GoalView], summary="Goals, newest first")
    async def list_goals(
        patient_ref: str | None = None,
        match_id: str | None = None,
        offset: Offset = 0,
        limit: int = Query(100, ge=1, le=1000),
        access: Access = OVERSIGHT,
    ) -> list[Goal]:
        query = (
            select(Goal)
            .where(goals_of(access))
            .order_by(col(Goal.set_at).desc(), col(Goal.goal_id))
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
        goal_id: RecordIdPath, request: CheckInRequest, access: Access = MENTORING
    ) -> Goal:
        async with runtime.unit_of_work() as session:
            await ensure_goal(session, access, goal_id)
            return await goals.check_in(session, goal_id, request, clock.now())

    @router.post(
        "/goals/{goal_id}/close",
        response_model=GoalView,
        summary="Close a goal: achieved, changed or dropped",
    )
    async def close(
        goal_id: RecordIdPath, request: CloseGoalRequest, access: Access = MENTORING
    ) -> Goal:
        async with runtime.unit_of_work() as session:
            await ensure_goal(session, access, goal_id)
            return await goals.close(session, goal_id, request, clock.now())

    @router.get(
        "/questionnaires",
        response_model=list[QuestionnaireView],
        summary="Standard questionnaires shipped with Saathi (free to use)",
    )
    async def list_questionnaires(_: Access = ANY_STAFF) -> list[QuestionnaireView]:
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
        questionnaire_id: RecordIdPath, request: ResponseRequest, access: Access = MENTORING
    ) -> QuestionnaireResponse:
        async with runtime.unit_of_work() as session:
            await ensure_match(session, access, request.match_id)
            return await questionnaires.respond(
                session, questionnaire_id, request.match_id, request.answers, clock.now()
            )

    @router.get(
        "/patients/{patient_ref}/questionnaires",
        response_model=list[DueView],
        summary="Each questionnaire's last score for the patient and when it is next due",
    )
    async def due(patient_ref: RecordIdPath, access: Access = ANY_STAFF) -> list[DueView]:
        async with runtime.sessionmaker() as session:
            await ensure_patient(session, access, REACH, patient_ref)
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
