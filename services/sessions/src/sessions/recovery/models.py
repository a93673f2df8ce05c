"""Recovery tables: goals with their check-ins, and scored questionnaire responses."""

from datetime import date, datetime

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


class Goal(SQLModel, table=True):
    """A recovery goal, in the patient's own words, owned by the patient."""

    __tablename__ = "sessions_goal"

    goal_id: str = Field(primary_key=True, max_length=40)
    match_id: str = Field(index=True, max_length=40)
    patient_ref: str = Field(index=True, max_length=40)
    mentor_id: str = Field(index=True, max_length=40)
    what: str = Field(max_length=300)
    why: str = Field(max_length=500)
    steps: list[str] = Field(sa_column=Column(JSON, nullable=False))
    target_date: date | None = None
    status: str = Field(max_length=16)
    progress: int = 0
    set_at: datetime
    closed_at: datetime | None = None
    closed_reason: str | None = Field(default=None, max_length=300)
    version: int = 1


class GoalCheckIn(SQLModel, table=True):
    """Progress on a goal at a check-in (the note is a peer note: it stays here)."""

    __tablename__ = "sessions_goal_check_in"

    check_in_id: str = Field(primary_key=True, max_length=40)
    goal_id: str = Field(foreign_key="sessions_goal.goal_id", index=True, max_length=40)
    at: datetime
    progress: int = Field(ge=0, le=100)
    note: str | None = Field(default=None, max_length=1000)


class QuestionnaireResponse(SQLModel, table=True):
    """A completed questionnaire and its score."""

    __tablename__ = "sessions_questionnaire_response"

    response_id: str = Field(primary_key=True, max_length=40)
    questionnaire_id: str = Field(index=True, max_length=40)
    patient_ref: str = Field(index=True, max_length=40)
    match_id: str = Field(max_length=40)
    answers: dict[str, int] = Field(sa_column=Column(JSON, nullable=False))
    raw: float
    score: float
    band: str = Field(max_length=64)
    alerts: list[str] = Field(sa_column=Column(JSON, nullable=False))
    kind: str = Field(max_length=16)  # "baseline" or "remeasure"
    taken_at: datetime


TABLES = (
    "sessions_goal",
    "sessions_goal_check_in",
    "sessions_questionnaire_response",
)
