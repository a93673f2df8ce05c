"""Recovery HTTP bodies: goals, check-ins, questionnaires and scored responses."""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.fields import Day, RecordId


class GoalRequest(BaseModel):
    """A recovery goal in the patient's words: what, why it matters to them, the steps."""

    model_config = ConfigDict(extra="forbid", strict=True)

    match_id: RecordId
    what: str = Field(min_length=1, max_length=300)
    why: str = Field(min_length=1, max_length=500)
    steps: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        default_factory=list, max_length=20
    )
    target_date: Day | None = None


class CheckInRequest(BaseModel):
    """Progress at a check-in."""

    model_config = ConfigDict(extra="forbid", strict=True)

    progress: int = Field(ge=0, le=100)
    note: str | None = Field(default=None, max_length=1000, description="a short peer note")


class CloseGoalRequest(BaseModel):
    """How a goal ends."""

    model_config = ConfigDict(extra="forbid", strict=True)

    status: Literal["achieved", "changed", "dropped"]
    reason: str | None = Field(default=None, max_length=300)


class GoalView(BaseModel):
    """A goal."""

    model_config = ConfigDict(from_attributes=True)

    goal_id: str
    match_id: str
    patient_ref: str
    mentor_id: str
    what: str
    why: str
    steps: list[str]
    target_date: date | None
    status: str
    progress: int
    set_at: datetime
    closed_at: datetime | None
    closed_reason: str | None
    version: int


class ResponseRequest(BaseModel):
    """Answers to every item of a questionnaire, by item id."""

    model_config = ConfigDict(extra="forbid", strict=True)

    match_id: RecordId
    answers: dict[Annotated[str, Field(max_length=40)], int] = Field(max_length=100)


class ResponseView(BaseModel):
    """A scored response; `alerts` name items that call for attention."""

    model_config = ConfigDict(from_attributes=True)

    response_id: str
    questionnaire_id: str
    patient_ref: str
    raw: float
    score: float
    band: str
    alerts: list[str]
    kind: str
    taken_at: datetime


class QuestionnaireView(BaseModel):
    """A shipped questionnaire."""

    questionnaire_id: str
    title: str
    licence: str
    scale_min: int
    scale_max: int
    items: list[dict[str, Any]]
    remeasure_every_days: int


class DueView(BaseModel):
    """When a patient's questionnaire is next due, and their last score."""

    questionnaire_id: str
    due_at: datetime
    last: ResponseView | None
