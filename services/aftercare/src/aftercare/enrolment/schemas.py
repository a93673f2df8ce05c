"""Enrolment HTTP bodies: outpatient groups, enrolments and patients' wishes."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from shared.fields import Code, Label


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
