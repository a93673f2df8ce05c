"""Aftercare HTTP request and response bodies."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.fields import Code, Day, Label, LanguageCode, Moment, RecordId


class GroupView(BaseModel):
    """An outpatient group (set up in sessions) and the places aftercare has filled."""

    model_config = ConfigDict(from_attributes=True)

    group_id: str
    title: str
    branch: str
    language: str
    focus: str
    capacity: int
    enrolled: int
    weekday: int
    start_time: str
    minutes: int
    facilitator_ids: list[str]
    status: str


class EnrolmentView(BaseModel):
    """A discharged patient's enrolment."""

    model_config = ConfigDict(from_attributes=True)

    enrolment_id: str
    episode_id: str
    patient_ref: str
    branch: str
    group_id: str | None
    mentor_id: str | None = None
    first_attended_at: datetime | None = None
    status: str
    reason: str | None
    updated_at: datetime
    version: int


class WishRequest(BaseModel):
    """What a coordinator recorded with the patient for aftercare."""

    model_config = ConfigDict(extra="forbid", strict=True)

    home_branch: Code | None = Field(
        default=None, description="the branch nearest the patient's home (not the address)"
    )
    focus: list[Label] = Field(
        default=[], max_length=5, description="group focus they want, e.g. depression"
    )


class WishView(WishRequest):
    """A patient's recorded wish."""

    model_config = ConfigDict(from_attributes=True)

    patient_ref: str
    updated_at: datetime


class TaskView(BaseModel):
    """Work for a coordinator (no assignee) or a mentor."""

    model_config = ConfigDict(from_attributes=True)

    task_id: str
    kind: str
    branch: str
    patient_ref: str
    episode_id: str
    assignee_id: str | None
    status: str
    opened_at: datetime
    closed_at: datetime | None
    outcome: str | None


class TaskDoneRequest(BaseModel):
    """What came of a task."""

    model_config = ConfigDict(extra="forbid", strict=True)

    outcome: Label


class FollowUpView(BaseModel):
    """A follow-up contact due after discharge."""

    model_config = ConfigDict(from_attributes=True)

    follow_up_id: str
    episode_id: str
    patient_ref: str
    branch: str
    kind: str
    discharged_at: datetime
    due_by: datetime
    status: str
    completed_at: datetime | None
    closed_reason: str | None
    version: int


class ContactRequest(BaseModel):
    """A try to reach the patient for a follow-up."""

    model_config = ConfigDict(extra="forbid", strict=True)

    at: Moment | None = Field(default=None, description="when (now if not given)")
    reached: bool
    channel: Literal["phone", "in_person", "video", "message"]
    by: RecordId = Field(description="the mentor or coordinator who made the contact")


class DropOffRequest(BaseModel):
    """Why a patient stopped coming (a code, so no free text leaves aftercare)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    reason: Literal[
        "transport",
        "work_or_study",
        "feels_better",
        "not_a_fit",
        "unwell",
        "moved_away",
        "unreachable",
        "other",
    ]


class ReadmissionView(BaseModel):
    """A readmission within 30 days, linked to the stay before."""

    model_config = ConfigDict(from_attributes=True)

    episode_id: str
    previous_episode_id: str
    patient_ref: str
    branch: str
    previous_branch: str
    days_since_discharge: int
    admitted_at: datetime


class AlumnusView(BaseModel):
    """A member of the alumni."""

    model_config = ConfigDict(from_attributes=True)

    patient_ref: str
    branch: str
    completed_episode_id: str
    joined_at: datetime


class CandidacyRequest(BaseModel):
    """An alumnus's interest, or a coordinator's nomination, to train as a peer mentor."""

    model_config = ConfigDict(extra="forbid", strict=True)

    source: Literal["interest", "nomination"]
    nominated_by: RecordId | None = Field(
        default=None, description="the coordinator, for a nomination"
    )
    languages: list[LanguageCode] = Field(min_length=1, max_length=6)
    lived_experience: list[Label] = Field(default=[], max_length=8)


class CourseRequest(BaseModel):
    """A completed training course."""

    model_config = ConfigDict(extra="forbid", strict=True)

    course: Label
    completed_on: Day
    expires_on: Day


class CandidateView(BaseModel):
    """An alumnus on the path to becoming a mentor, with their training record."""

    model_config = ConfigDict(from_attributes=True)

    candidate_id: str
    patient_ref: str
    branch: str
    source: str
    nominated_by: str | None
    languages: list[str]
    lived_experience: list[str]
    courses: dict[str, dict[str, str]]
    status: str
    opened_at: datetime
    certified_at: datetime | None
    version: int
