"""Aftercare HTTP request and response bodies."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from shared.fields import Code, Label, LanguageCode, RecordId

ClockTime = Annotated[
    str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", description="HH:MM, branch local time")
]


class GroupCreate(BaseModel):
    """A new outpatient peer-led group."""

    model_config = ConfigDict(extra="forbid")

    group_id: RecordId | None = None
    name: str = Field(min_length=1, max_length=200)
    branch: Code
    language: LanguageCode
    focus: Label = "general recovery"
    capacity: int = Field(ge=1, le=100)
    weekday: int = Field(ge=0, le=6, description="0 = Monday")
    start_time: ClockTime


class GroupUpdate(BaseModel):
    """Changes to a group; omitted fields stay as they are."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    focus: Label | None = None
    capacity: int | None = Field(default=None, ge=1, le=100)
    weekday: int | None = Field(default=None, ge=0, le=6)
    start_time: ClockTime | None = None


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
