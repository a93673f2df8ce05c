"""The questionnaires shipped with Saathi (JSON files next to this module) and the responses
patients give: scored, with a baseline and re-measurement on schedule."""

import json
import secrets
from datetime import datetime
from functools import cache
from importlib import resources

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from sessions import questionnaire_rules as rules
from sessions.models import MatchProjection, QuestionnaireResponse
from shared.db import get_or_not_found
from shared.errors import NotFound


@cache
def shipped() -> dict[str, rules.Questionnaire]:
    """Every questionnaire definition shipped in `sessions/questionnaires/`."""
    folder = resources.files("sessions") / "questionnaires"
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
