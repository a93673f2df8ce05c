"""Sessions HTTP request and response bodies."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class CompleteRequest(BaseModel):
    """What happened in a session."""

    model_config = ConfigDict(extra="forbid")

    attended: bool
    duration_minutes: int = Field(ge=0, le=600)
    note: str | None = Field(
        default=None, max_length=4000, description="A short peer note, not a clinical note"
    )


class SessionView(BaseModel):
    """A session."""

    model_config = ConfigDict(from_attributes=True)

    session_id: str
    match_id: str
    episode_id: str
    patient_ref: str
    mentor_id: str
    kind: str
    status: str
    scheduled_for: datetime
    attended: bool | None
    duration_minutes: int | None
    note: str | None
    completed_at: datetime | None
    version: int
