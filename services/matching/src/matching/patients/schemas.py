"""Patient HTTP bodies: preferences, risk assessments and declared conflicts of interest."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from matching.pool.schemas import AgeBand, Gender
from shared.fields import Label, RecordId


class PreferencesRequest(BaseModel):
    """What the patient asked for in a mentor (they choose; everything is optional)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    mentor_gender: Gender | None = Field(
        default=None, description="only mentors of this gender (a hard rule)"
    )
    lived_experience: list[Label] = Field(
        default_factory=list, max_length=10, description="areas they hope a mentor has lived"
    )
    interests: list[Label] = Field(default_factory=list, max_length=20)
    age_band: AgeBand | None = Field(default=None, description="the patient's own age band")
    recorded_by: RecordId = Field(description="the coordinator who recorded them")


class PreferencesView(PreferencesRequest):
    """A patient's recorded preferences."""

    model_config = ConfigDict(from_attributes=True)

    patient_ref: str
    updated_at: datetime
    version: int


class RiskBody(BaseModel):
    """A clinician's risk assessment for an episode, as sent (the clinician is the caller)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    level: Literal["low", "medium", "high"] = Field(
        description="high: only a mentor with valid crisis-response certification, and their "
        "supervisor signs the match off; medium: such a mentor is preferred; low: no constraint "
        "(`standard`, the former name of low, is still accepted)"
    )

    @field_validator("level", mode="before")
    @classmethod
    def _standard_is_low(cls, value: object) -> object:
        return "low" if value == "standard" else value


class RiskRequest(RiskBody):
    """A risk assessment with the clinician who made it (from their token)."""

    assessed_by: RecordId = Field(description="the clinician who assessed the patient")


class RiskView(RiskRequest):
    """An episode's current risk assessment."""

    model_config = ConfigDict(from_attributes=True)

    episode_id: str
    assessed_at: datetime
    version: int


class ConflictRequest(BaseModel):
    """A conflict of interest a mentor declares with a patient."""

    model_config = ConfigDict(extra="forbid", strict=True)

    patient_ref: RecordId


class ConflictView(BaseModel):
    """A declared conflict of interest."""

    model_config = ConfigDict(from_attributes=True)

    patient_ref: str
    mentor_id: str
    created_at: datetime
