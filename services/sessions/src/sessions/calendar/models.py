"""Calendar tables: 1:1 sessions (the peer note stays here) and mentors' weekly availability."""

from datetime import datetime, time

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel


class PeerSession(SQLModel, table=True):
    """A 1:1 session; the peer note stays here and never travels in events."""

    __tablename__ = "sessions_session"
    __table_args__ = (
        Index(
            "uq_session_one_introduction_per_match",
            "match_id",
            unique=True,
            sqlite_where=text("kind = 'introduction'"),
            postgresql_where=text("kind = 'introduction'"),
        ),
    )

    session_id: str = Field(primary_key=True, max_length=40)
    match_id: str = Field(index=True, max_length=40)
    episode_id: str = Field(max_length=40)
    patient_ref: str = Field(index=True, max_length=40)
    mentor_id: str = Field(index=True, max_length=40)
    kind: str = Field(max_length=20)
    status: str = Field(max_length=16, index=True)
    scheduled_for: datetime = Field(index=True)
    planned_minutes: int = 45
    cancel_reason: str | None = Field(default=None, max_length=200)
    missed_at: datetime | None = None
    attended: bool | None = None
    duration_minutes: int | None = None
    note: str | None = Field(default=None, max_length=4000)
    completed_at: datetime | None = None
    # The mentor's supervisor read the peer note.
    note_reviewed_by: str | None = Field(default=None, max_length=40)
    note_reviewed_at: datetime | None = None
    version: int = 1


class MentorAvailability(SQLModel, table=True):
    """A weekly window a mentor can hold sessions in (branch local time)."""

    __tablename__ = "sessions_mentor_availability"

    mentor_id: str = Field(primary_key=True, max_length=40)
    weekday: int = Field(primary_key=True, ge=0, le=6)
    start: time = Field(primary_key=True)
    end: time


TABLES = (
    "sessions_session",
    "sessions_mentor_availability",
)
