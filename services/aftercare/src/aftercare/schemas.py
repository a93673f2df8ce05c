"""Aftercare HTTP request and response bodies."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

Branch = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")


class GroupCreate(BaseModel):
    """A new outpatient peer-led group."""

    model_config = ConfigDict(extra="forbid")

    group_id: str | None = Field(
        default=None, min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$"
    )
    name: str = Field(min_length=1, max_length=200)
    branch: str = Branch
    language: str = Field(min_length=2, max_length=16, pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")
    focus: str = Field("general recovery", min_length=1, max_length=64)
    capacity: int = Field(ge=1, le=100)
    weekday: int = Field(ge=0, le=6, description="0 = Monday")
    start_time: str = Field(
        pattern=r"^([01]\d|2[0-3]):[0-5]\d$", description="HH:MM, branch local time"
    )


class GroupUpdate(BaseModel):
    """Changes to a group; omitted fields stay as they are."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    focus: str | None = Field(default=None, min_length=1, max_length=64)
    capacity: int | None = Field(default=None, ge=1, le=100)
    weekday: int | None = Field(default=None, ge=0, le=6)
    start_time: str | None = Field(default=None, pattern=r"^([01]\d|2[0-3]):[0-5]\d$")


class GroupView(BaseModel):
    """An outpatient group with its current enrolment count."""

    model_config = ConfigDict(from_attributes=True)

    group_id: str
    name: str
    branch: str
    language: str
    focus: str
    capacity: int
    enrolled: int
    weekday: int
    start_time: str


class EnrolmentView(BaseModel):
    """An enrolment."""

    model_config = ConfigDict(from_attributes=True)

    enrolment_id: str
    episode_id: str
    patient_ref: str
    branch: str
    group_id: str | None
    status: str
    reason: str | None
    updated_at: datetime
    version: int
