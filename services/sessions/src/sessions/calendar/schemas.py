"""Sessions HTTP request and response bodies."""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.fields import Day, LocalTime, Moment, RecordId


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


class DutyLink(BaseModel):
    """One person on a branch's crisis duty chain."""

    model_config = ConfigDict(extra="forbid", strict=True)

    person_id: RecordId
    role: Literal["clinician", "supervisor", "branch_lead"]


class DutyRosterRequest(BaseModel):
    """A branch's duty chain in alert order: clinicians on duty, then a supervisor, then the
    branch lead."""

    model_config = ConfigDict(extra="forbid", strict=True)

    chain: list[DutyLink] = Field(min_length=1, max_length=20)


class DutyRosterView(DutyRosterRequest):
    """A branch's duty chain."""

    model_config = ConfigDict(from_attributes=True)

    branch: str
    updated_at: datetime
    version: int


class CrisisRequest(BaseModel):
    """One step for a mentor: which match, how severe, optionally the session and a few words."""

    model_config = ConfigDict(extra="forbid", strict=True)

    match_id: RecordId
    severity: Literal["moderate", "high", "critical"]
    session_id: RecordId | None = None
    summary: str | None = Field(
        default=None, max_length=1000, description="what the mentor saw (for the duty chain only)"
    )


class AcknowledgeRequest(BaseModel):
    """Someone alerted takes the crisis on."""

    model_config = ConfigDict(extra="forbid", strict=True)

    person_id: RecordId


class ResolveRequest(AcknowledgeRequest):
    """How the crisis was resolved."""

    resolution: str = Field(min_length=1, max_length=1000)


class CrisisView(BaseModel):
    """A crisis as the mentor and the duty chain see it (peer notes are never part of it)."""

    model_config = ConfigDict(from_attributes=True)

    crisis_id: str
    branch: str
    patient_ref: str
    mentor_id: str
    match_id: str
    session_id: str | None
    severity: str
    summary: str | None
    status: str
    level: int
    deadline_at: datetime | None
    alerts: list[dict[str, Any]]
    flagged_at: datetime
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    resolved_by: str | None
    resolved_at: datetime | None
    resolution: str | None
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
