"""Follow-up HTTP bodies: tasks, follow-ups and their contacts, drop-offs and readmissions."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.fields import Label, Moment, RecordId


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
