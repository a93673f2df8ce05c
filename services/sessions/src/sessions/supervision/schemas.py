"""Supervision HTTP bodies: note reviews, meetings, wellbeing checks and mentors' load."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from shared.fields import Moment, RecordId


class NoteReviewRequest(BaseModel):
    """The supervisor who read the note."""

    model_config = ConfigDict(extra="forbid", strict=True)

    supervisor_id: RecordId


class MeetingRequest(BaseModel):
    """A supervision meeting."""

    model_config = ConfigDict(extra="forbid", strict=True)

    supervisor_id: RecordId
    mentor_id: RecordId
    held_at: Moment | None = None
    minutes: int = Field(ge=5, le=480)
    notes: str | None = Field(default=None, max_length=2000)


class MeetingView(MeetingRequest):
    """A logged supervision meeting."""

    model_config = ConfigDict(from_attributes=True)

    meeting_id: str
    held_at: datetime


class WellbeingRequest(BaseModel):
    """How the mentor is doing, 1 (struggling) to 5 (well), and whether they want support."""

    model_config = ConfigDict(extra="forbid", strict=True)

    score: int = Field(ge=1, le=5)
    wants_support: bool = False
    note: str | None = Field(default=None, max_length=1000)


class WellbeingView(WellbeingRequest):
    """A recorded wellbeing check."""

    model_config = ConfigDict(from_attributes=True)

    check_id: str
    mentor_id: str
    at: datetime


class MentorLoadView(BaseModel):
    """A mentor's load as their supervisor sees it."""

    model_config = ConfigDict(from_attributes=True)

    mentor_id: str
    active_mentees: int
    sessions_next_7_days: int
    completed_last_30_days: int
    missed_last_30_days: int
    notes_to_review: int
    latest_wellbeing: int | None
    wants_support: bool
