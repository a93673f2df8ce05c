"""Recovery use cases: goals the patient sets with their mentor, checks in on and closes (achieved,
changed or dropped); and the questionnaires shipped with Saathi (JSON files in
`questionnaires/` next to this module) with the responses patients give, scored, with a baseline
and re-measurement on schedule."""

import json
import secrets
from datetime import datetime
from functools import cache
from importlib import resources

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from sessions.projections.models import MatchProjection
from sessions.recovery import domain as rules
from sessions.recovery.models import Goal, GoalCheckIn, QuestionnaireResponse
from sessions.recovery.schemas import CheckInRequest, CloseGoalRequest, GoalRequest
from shared.contracts.envelope import Event
from shared.contracts.sessions import GoalClosed, GoalProgressed, GoalSet, GoalState
from shared.db import get_or_not_found
from shared.errors import Conflict, NotFound
from shared.outbox import stage


def _publish(session: AsyncSession, event_cls: type[Event], row: Goal, branch: str) -> None:
    stage(
        session, event_cls.new(GoalState.model_validate(row, from_attributes=True), branch=branch)
    )


async def _match(session: AsyncSession, match_id: str) -> MatchProjection:
    return await get_or_not_found(session, MatchProjection, match_id, f"match {match_id!r}")


async def set_goal(session: AsyncSession, request: GoalRequest, now: datetime) -> Goal:
    """A new goal for the patient of an active match."""
    match = await _match(session, request.match_id)
    if match.status != "active":
        raise Conflict(f"the match is {match.status}; goals are set within an active match")
    row = Goal(
        goal_id=f"gl_{secrets.token_hex(10)}",
        match_id=match.match_id,
        patient_ref=match.patient_ref,
        mentor_id=match.mentor_id,
        what=request.what,
        why=request.why,
        steps=list(request.steps),
        target_date=request.target_date,
        status="active",
        set_at=now,
    )
    session.add(row)
    _publish(session, GoalSet, row, match.branch)
    await session.flush()
    return row


async def _active(session: AsyncSession, goal_id: str) -> Goal:
    row = await get_or_not_found(session, Goal, goal_id, f"goal {goal_id!r}", for_update=True)
    if row.status != "active":
        raise Conflict(f"the goal is {row.status}; only an active goal changes")
    return row


async def check_in(
    session: AsyncSession, goal_id: str, request: CheckInRequest, now: datetime
) -> Goal:
    """Record progress (0-100) and a short peer note."""
    row = await _active(session, goal_id)
    session.add(
        GoalCheckIn(
            check_in_id=f"gc_{secrets.token_hex(10)}",
            goal_id=goal_id,
            at=now,
            progress=request.progress,
            note=request.note,
        )
    )
    row.progress = request.progress
    row.version += 1
    _publish(session, GoalProgressed, row, (await _match(session, row.match_id)).branch)
    await session.flush()
    return row


async def close(
    session: AsyncSession, goal_id: str, request: CloseGoalRequest, now: datetime
) -> Goal:
    """Close a goal: achieved, changed (for a new one) or dropped."""
    row = await _active(session, goal_id)
    row.status, row.closed_at, row.closed_reason = request.status, now, request.reason
    if request.status == "achieved":
        row.progress = 100
    row.version += 1
    _publish(session, GoalClosed, row, (await _match(session, row.match_id)).branch)
    await session.flush()
    return row


@cache
def shipped() -> dict[str, rules.Questionnaire]:
    """Every questionnaire definition shipped in `sessions/recovery/questionnaires/`."""
    folder = resources.files("sessions.recovery") / "questionnaires"
    found = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".json"):
            questionnaire = rules.from_data(json.loads(entry.read_text(encoding="utf-8")))
            found[questionnaire.questionnaire_id] = questionnaire
    return dict(sorted(found.items()))


def definition(questionnaire_id: str) -> rules.Questionnaire:
    """One shipped questionnaire, or NotFound."""
    if questionnaire_id not in shipped():
        raise NotFound(f"no questionnaire {questionnaire_id!r}")
    return shipped()[questionnaire_id]


async def _last(
    session: AsyncSession, patient_ref: str, questionnaire_id: str
) -> QuestionnaireResponse | None:
    row: QuestionnaireResponse | None = await session.scalar(
        select(QuestionnaireResponse)
        .where(
            col(QuestionnaireResponse.patient_ref) == patient_ref,
            col(QuestionnaireResponse.questionnaire_id) == questionnaire_id,
        )
        .order_by(col(QuestionnaireResponse.taken_at).desc())
        .limit(1)
    )
    return row


async def respond(
    session: AsyncSession,
    questionnaire_id: str,
    match_id: str,
    answers: dict[str, int],
    now: datetime,
) -> QuestionnaireResponse:
    """Score and keep a response: the first is the baseline, later ones re-measure."""
    questionnaire = definition(questionnaire_id)
    match = await get_or_not_found(session, MatchProjection, match_id, f"match {match_id!r}")
    scored = rules.score(questionnaire, answers)
    earlier = await _last(session, match.patient_ref, questionnaire_id)
    row = QuestionnaireResponse(
        response_id=f"qr_{secrets.token_hex(10)}",
        questionnaire_id=questionnaire_id,
        patient_ref=match.patient_ref,
        match_id=match_id,
        answers=dict(answers),
        raw=scored.raw,
        score=scored.score,
        band=scored.band,
        alerts=list(scored.alerts),
        kind="baseline" if earlier is None else "remeasure",
        taken_at=now,
    )
    session.add(row)
    await session.flush()
    return row


async def schedule_of(
    session: AsyncSession, patient_ref: str, now: datetime
) -> list[tuple[rules.Questionnaire, QuestionnaireResponse | None, datetime]]:
    """For each questionnaire: the patient's last response (if any) and when it is next due."""
    out = []
    for questionnaire in shipped().values():
        last = await _last(session, patient_ref, questionnaire.questionnaire_id)
        due = rules.next_due(questionnaire, last.taken_at if last else None, now)
        out.append((questionnaire, last, due))
    return out
