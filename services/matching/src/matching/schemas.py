"""Matching HTTP request and response bodies."""

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.fields import Code, Label, LanguageCode, RecordId

MentorStatus = Literal["trainee", "active", "on_leave", "suspended", "retired"]


class MentorCreate(BaseModel):
    """A mentor joining the shared pool."""

    model_config = ConfigDict(extra="forbid")

    mentor_id: RecordId | None = None
    display_name: str = Field(min_length=1, max_length=200)
    languages: list[LanguageCode] = Field(min_length=1, max_length=20)
    branches: list[Code] = Field(min_length=1, max_length=50)
    lived_experience: list[Label] = Field(default_factory=list, max_length=20)
    capacity: int = Field(ge=0, le=50)
    certification_expires: date
    status: MentorStatus = "active"


class MentorUpdate(BaseModel):
    """Fields of a mentor that can change; omitted fields stay as they are."""

    model_config = ConfigDict(extra="forbid")

    display_name: str | None = Field(default=None, min_length=1, max_length=200)
    languages: list[LanguageCode] | None = Field(default=None, min_length=1, max_length=20)
    branches: list[Code] | None = Field(default=None, min_length=1, max_length=50)
    lived_experience: list[Label] | None = Field(default=None, max_length=20)
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
