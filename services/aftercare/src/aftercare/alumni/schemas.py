"""Alumni HTTP bodies: alumni, mentor candidacies and training courses."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.fields import Day, Label, LanguageCode, RecordId


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
