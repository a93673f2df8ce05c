"""Matching HTTP request and response bodies."""

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

MentorStatus = Literal["trainee", "active", "on_leave", "suspended", "retired"]
Language = Field(min_length=2, max_length=16, pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")
Branch = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")


class MentorCreate(BaseModel):
    """A mentor joining the shared pool."""

    model_config = ConfigDict(extra="forbid")

    mentor_id: str | None = Field(
        default=None, min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$"
    )
    display_name: str = Field(min_length=1, max_length=200)
    languages: list[str] = Field(min_length=1, max_length=20)
    branches: list[str] = Field(min_length=1, max_length=50)
    lived_experience: list[str] = Field(default_factory=list, max_length=20)
    capacity: int = Field(ge=0, le=50)
    certification_expires: date
    status: MentorStatus = "active"


class MentorUpdate(BaseModel):
    """Fields of a mentor that can change; omitted fields stay as they are."""

    model_config = ConfigDict(extra="forbid")

    display_name: str | None = Field(default=None, min_length=1, max_length=200)
    languages: list[str] | None = Field(default=None, min_length=1, max_length=20)
    branches: list[str] | None = Field(default=None, min_length=1, max_length=50)
    lived_experience: list[str] | None = Field(default=None, max_length=20)
    capacity: int | None = Field(default=None, ge=0, le=50)
    certification_expires: date | None = None
    status: MentorStatus | None = None


class MentorView(BaseModel):
    """A mentor as the pool shows it."""

    mentor_id: str
    display_name: str
    languages: list[str]
    branches: list[str]
    lived_experience: list[str]
    capacity: int
    active_mentees: int
    certification_expires: date
    status: str
    version: int


class MatchView(BaseModel):
    """A match."""

    model_config = ConfigDict(from_attributes=True)

    match_id: str
    episode_id: str
    patient_ref: str
    mentor_id: str
    branch: str
    status: str
    matched_at: datetime
    ended_at: datetime | None
    ended_reason: str | None
    version: int


class WaitlistView(BaseModel):
    """A waitlist entry."""

    model_config = ConfigDict(from_attributes=True)

    episode_id: str
    patient_ref: str
    branch: str
    language: str
    status: str
    since: datetime
    version: int
