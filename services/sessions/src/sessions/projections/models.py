"""What other services told sessions, as last applied here: matching's matches and mentors,
intake's stays, consent and patient merges."""

from datetime import date

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from shared.intake_projection import (
    ConsentProjectionBase,
    EpisodeProjectionBase,
    PatientMergeBase,
)


class MatchProjection(SQLModel, table=True):
    """Matching's match state as last applied here."""

    __tablename__ = "sessions_match"

    match_id: str = Field(primary_key=True, max_length=40)
    episode_id: str = Field(max_length=40)
    patient_ref: str = Field(max_length=40)
    mentor_id: str = Field(max_length=40)
    branch: str = Field(max_length=64)
    status: str = Field(max_length=16)
    version: int


class PatientMerge(PatientMergeBase, table=True):
    """Patients intake merged, for matches that arrive here after the merge."""

    __tablename__ = "sessions_patient_merge"


class EpisodeProjection(EpisodeProjectionBase, table=True):
    """Intake's episode state as last applied here (inpatient groups end at discharge)."""

    __tablename__ = "sessions_episode"


class ConsentProjection(ConsentProjectionBase, table=True):
    """Intake's consent of each stay as last applied here (no group offers without it)."""

    __tablename__ = "sessions_stay_consent"


class MentorProjection(SQLModel, table=True):
    """Matching's mentor state as last applied here: who may facilitate a group, and who
    supervises whom."""

    __tablename__ = "sessions_mentor"

    mentor_id: str = Field(primary_key=True, max_length=40)
    status: str = Field(max_length=16)
    languages: list[str] = Field(sa_column=Column(JSON, nullable=False))
    branches: list[str] = Field(sa_column=Column(JSON, nullable=False))
    remote_ok: bool = False
    certified_until: date | None = None
    supervisor_id: str | None = Field(default=None, max_length=40, index=True)
    version: int


TABLES = (
    "sessions_match",
    "sessions_patient_merge",
    "sessions_episode",
    "sessions_stay_consent",
    "sessions_mentor",
)
