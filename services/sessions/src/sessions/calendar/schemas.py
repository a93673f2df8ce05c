"""Calendar HTTP bodies: sessions, booking and mentors' availability."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.fields import LocalTime, Moment, RecordId


class CompleteRequest(BaseModel):
    """What happened in a session."""

    model_config = ConfigDict(extra="forbid", strict=True)

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
    planned_minutes: int
    cancel_reason: str | None
    missed_at: datetime | None
    attended: bool | None
    duration_minutes: int | None
    note: str | None
    completed_at: datetime | None
    note_reviewed_by: str | None = None
    note_reviewed_at: datetime | None = None
    version: int


class ScheduleRequest(BaseModel):
    """A 1:1 session to book for a match."""

    model_config = ConfigDict(extra="forbid", strict=True)

    match_id: RecordId
    scheduled_for: Moment
    planned_minutes: int = Field(45, ge=15, le=240)


class RescheduleRequest(BaseModel):
    """A new time (and optionally a new length) for a scheduled session."""

    model_config = ConfigDict(extra="forbid", strict=True)

    scheduled_for: Moment
    planned_minutes: int | None = Field(default=None, ge=15, le=240)


class CancelRequest(BaseModel):
    """Why a session is cancelled."""

    model_config = ConfigDict(extra="forbid", strict=True)

    reason: str = Field(min_length=1, max_length=200)


class AvailabilitySlot(BaseModel):
    """A weekly window (branch local time; weekday 0 = Monday)."""

    model_config = ConfigDict(extra="forbid", from_attributes=True)

    weekday: int = Field(ge=0, le=6)
    start: LocalTime
    end: LocalTime

    @model_validator(mode="after")
    def _ends_after_start(self) -> "AvailabilitySlot":
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self


class AvailabilityRequest(BaseModel):
    """A mentor's whole weekly availability (it replaces the one held)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    slots: list[AvailabilitySlot] = Field(max_length=50)
