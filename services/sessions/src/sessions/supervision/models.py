"""Supervision tables: supervision meetings and mentors' wellbeing checks."""

from datetime import datetime

from sqlmodel import Field, SQLModel


class SupervisionMeeting(SQLModel, table=True):
    """A supervision meeting a supervisor held with a mentor."""

    __tablename__ = "sessions_supervision_meeting"

    meeting_id: str = Field(primary_key=True, max_length=40)
    supervisor_id: str = Field(index=True, max_length=40)
    mentor_id: str = Field(index=True, max_length=40)
    held_at: datetime
    minutes: int
    notes: str | None = Field(default=None, max_length=2000)


class WellbeingCheck(SQLModel, table=True):
    """How a mentor is doing (peer workers need support too): 1 (struggling) to 5 (well)."""

    __tablename__ = "sessions_wellbeing_check"

    check_id: str = Field(primary_key=True, max_length=40)
    mentor_id: str = Field(index=True, max_length=40)
    at: datetime
    score: int = Field(ge=1, le=5)
    wants_support: bool = False
    note: str | None = Field(default=None, max_length=1000)


TABLES = (
    "sessions_supervision_meeting",
    "sessions_wellbeing_check",
)
