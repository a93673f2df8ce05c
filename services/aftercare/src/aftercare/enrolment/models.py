"""Enrolment tables: enrolments, patients' wishes, readmissions, and projections of sessions'
outpatient groups, matching's matches and intake's state."""

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Column
from sqlmodel import Field, SQLModel

from shared.contracts.envelope import utcnow
from shared.intake_projection import ConsentProjectionBase, EpisodeProjectionBase


class OutpatientGroup(SQLModel, table=True):
    """A peer-led outpatient group as sessions last described it (sessions runs its meetings),
    with the places aftercare has filled: aftercare alone enrols in outpatient groups, so its
    count, guarded by a conditional update, is the capacity check."""

    __tablename__ = "aftercare_group"
    __table_args__ = (CheckConstraint("enrolled >= 0", name="ck_group_enrolled_nonnegative"),)

    group_id: str = Field(primary_key=True, max_length=40)
    title: str = Field(max_length=200)
    branch: str = Field(max_length=64, index=True)
    language: str = Field(max_length=16, index=True)
    focus: str = Field(default="general_recovery", max_length=64)
    capacity: int
    enrolled: int = 0
    weekday: int
    start_time: str = Field(max_length=5)
    minutes: int = 60
    facilitator_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = Field(default="active", max_length=16)
    version: int = 1
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
    # The mentor who goes on with the patient after discharge, when the match continues.
    mentor_id: str | None = Field(default=None, max_length=40)
    # When a place was first found (the enrolment rate counts it even if it ended later).
    enrolled_at: datetime | None = None
    first_attended_at: datetime | None = None
    meetings_attended: int = 0
    completed_at: datetime | None = None
    # When someone must reach out if the patient has not come yet (the first meeting's end
    # and a grace); cleared once the task is opened or the patient came.
    outreach_due_at: datetime | None = Field(default=None, index=True)
    updated_at: datetime = Field(default_factory=utcnow)
    version: int = 1


class Readmission(SQLModel, table=True):
    """An admission within 30 days of a discharge, at any branch, and the stay before it."""

    __tablename__ = "aftercare_readmission"

    episode_id: str = Field(primary_key=True, max_length=40)
    previous_episode_id: str = Field(max_length=40, index=True)
    patient_ref: str = Field(max_length=40, index=True)
    branch: str = Field(max_length=64, index=True)
    previous_branch: str = Field(max_length=64, index=True)
    days_since_discharge: int
    admitted_at: datetime


class AftercareWish(SQLModel, table=True):
    """What a coordinator recorded with the patient for aftercare: the branch nearest home
    (no address: it stays in intake), and the group focus they want."""

    __tablename__ = "aftercare_wish"

    patient_ref: str = Field(primary_key=True, max_length=40)
    home_branch: str | None = Field(default=None, max_length=64)
    focus: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow)


class MatchProjection(SQLModel, table=True):
    """Matching's match state as last applied here: whether the mentor goes on after
    discharge, and when the patient was matched."""

    __tablename__ = "aftercare_match"

    match_id: str = Field(primary_key=True, max_length=40)
    episode_id: str = Field(max_length=40, index=True)
    patient_ref: str = Field(max_length=40, index=True)
    mentor_id: str = Field(max_length=40)
    status: str = Field(max_length=16)
    matched_at: datetime
    continues_until: datetime | None = None
    version: int


class EpisodeProjection(EpisodeProjectionBase, table=True):
    """Intake's episode state as last applied here, with its times and disposition."""

    __tablename__ = "aftercare_episode"

    admitted_at: datetime | None = None
    discharged_at: datetime | None = None
    disposition: str | None = Field(default=None, max_length=64)


class ConsentProjection(ConsentProjectionBase, table=True):
    """Intake's consent of each stay as last applied here."""

    __tablename__ = "aftercare_stay_consent"


TABLES = (
    "aftercare_group",
    "aftercare_enrolment",
    "aftercare_readmission",
    "aftercare_wish",
    "aftercare_match",
    "aftercare_episode",
    "aftercare_stay_consent",
)
