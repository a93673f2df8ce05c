"""Aftercare tables: outpatient groups, enrolments and projections of intake's state."""

from datetime import datetime

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from shared.contracts.envelope import utcnow
from shared.intake_projection import ConsentProjectionBase, EpisodeProjectionBase


class OutpatientGroup(SQLModel, table=True):
    """A peer-led outpatient group meeting weekly at a branch."""

    __tablename__ = "aftercare_group"
    __table_args__ = (CheckConstraint("enrolled >= 0", name="ck_group_enrolled_nonnegative"),)

    group_id: str = Field(primary_key=True, max_length=40)
    name: str = Field(max_length=200)
    branch: str = Field(max_length=64, index=True)
    language: str = Field(max_length=16, index=True)
    focus: str = Field(default="general recovery", max_length=64)
    capacity: int
    enrolled: int = 0
    weekday: int
    start_time: str = Field(max_length=5)
    created_at: datetime = Field(default_factory=utcnow)


class Enrolment(SQLModel, table=True):
    """A discharged patient's enrolment; exactly one row per episode."""

    __tablename__ = "aftercare_enrolment"

    enrolment_id: str = Field(primary_key=True, max_length=40)
    episode_id: str = Field(unique=True, max_length=40)
    patient_ref: str = Field(index=True, max_length=40)
    branch: str = Field(max_length=64)
    language: str = Field(max_length=16)
    group_id: str | None = Field(default=None, foreign_key="aftercare_group.group_id", index=True)
    status: str = Field(max_length=16, index=True)
    reason: str | None = Field(default=None, max_length=200)
    updated_at: datetime = Field(default_factory=utcnow)
    version: int = 1


class EpisodeProjection(EpisodeProjectionBase, table=True):
    """Intake's episode state as last applied here."""

    __tablename__ = "aftercare_episode"


class ConsentProjection(ConsentProjectionBase, table=True):
    """Intake's consent state as last applied here."""

    __tablename__ = "aftercare_consent"


TABLES = (
    "aftercare_group",
    "aftercare_enrolment",
    "aftercare_episode",
    "aftercare_consent",
    "outbox",
    "inbox",
)
