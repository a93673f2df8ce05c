"""Patient tables: intake's episodes and per-stay consent as last applied here, what a patient
asked for in a mentor, a clinician's risk assessment, and the mentors a patient is never
matched with."""

from datetime import datetime

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from shared.contracts.envelope import utcnow
from shared.intake_projection import ConsentProjectionBase, EpisodeProjectionBase


class MentorExclusion(SQLModel, table=True):
    """A mentor this patient is never matched with: they declined or asked for a change, or
    the mentor declared a conflict of interest."""

    __tablename__ = "matching_exclusion"

    patient_ref: str = Field(primary_key=True, max_length=40)
    mentor_id: str = Field(primary_key=True, max_length=40)
    reason: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow)


class PatientPreferences(SQLModel, table=True):
    """What a patient asked for in a mentor (recorded with their consent)."""

    __tablename__ = "matching_patient_preferences"

    patient_ref: str = Field(primary_key=True, max_length=40)
    mentor_gender: str | None = Field(default=None, max_length=16)
    lived_experience: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    interests: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    age_band: str | None = Field(default=None, max_length=16)
    recorded_by: str = Field(max_length=80)
    updated_at: datetime = Field(default_factory=utcnow)
    version: int = 1


class EpisodeRisk(SQLModel, table=True):
    """A clinician's risk assessment for an episode: high-risk patients need a mentor certified
    in crisis response, and the match needs the mentor's supervisor to sign it off."""

    __tablename__ = "matching_episode_risk"

    episode_id: str = Field(primary_key=True, max_length=40)
    level: str = Field(max_length=16)
    assessed_by: str = Field(max_length=80)
    assessed_at: datetime = Field(default_factory=utcnow)
    version: int = 1


class EpisodeProjection(EpisodeProjectionBase, table=True):
    """Intake's episode state as last applied here (with the ward and discharge time, for the
    same-ward conflict of interest, and the admission time, for the time to a match)."""

    __tablename__ = "matching_episode"

    ward: str | None = Field(default=None, max_length=64)
    admitted_at: datetime | None = None  # None for episodes applied before it was kept
    discharged_at: datetime | None = None
    disposition: str | None = Field(default=None, max_length=64)


class ConsentProjection(ConsentProjectionBase, table=True):
    """Intake's consent of each stay as last applied here."""

    __tablename__ = "matching_stay_consent"


TABLES = (
    "matching_exclusion",
    "matching_patient_preferences",
    "matching_episode_risk",
    "matching_episode",
    "matching_stay_consent",
)
