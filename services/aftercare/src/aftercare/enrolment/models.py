"""Aftercare tables: enrolments, coordinators' tasks, patients' wishes, and projections of
sessions' outpatient groups, matching's matches and intake's state."""

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Column, Index
from sqlmodel import Field, SQLModel

from shared.audit import AuditRecordBase
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


class FollowUp(SQLModel, table=True):
    """A follow-up contact due after discharge; `due_by` is the durable timer."""

    __tablename__ = "aftercare_follow_up"
    __table_args__ = (Index("ix_aftercare_follow_up_due", "status", "due_by"),)

    follow_up_id: str = Field(primary_key=True, max_length=40)
    episode_id: str = Field(max_length=40, index=True)
    patient_ref: str = Field(max_length=40, index=True)
    branch: str = Field(max_length=64, index=True)
    kind: str = Field(max_length=16)  # day_7, day_30
    discharged_at: datetime
    due_by: datetime
    status: str = Field(max_length=16)  # due, completed, missed, cancelled
    completed_at: datetime | None = None
    closed_reason: str | None = Field(default=None, max_length=200)
    version: int = 1


class FollowUpContact(SQLModel, table=True):
    """One try to reach the patient for a follow-up."""

    __tablename__ = "aftercare_follow_up_contact"

    contact_id: str = Field(primary_key=True, max_length=40)
    follow_up_id: str = Field(
        foreign_key="aftercare_follow_up.follow_up_id", index=True, max_length=40
    )
    at: datetime
    reached: bool
    channel: str = Field(max_length=16)
    by: str = Field(max_length=40)
    counted: bool


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


class Task(SQLModel, table=True):
    """Work for a person: a coordinator (no assignee: the branch's coordinators) or a mentor."""

    __tablename__ = "aftercare_task"

    task_id: str = Field(primary_key=True, max_length=40)
    kind: str = Field(max_length=40, index=True)
    branch: str = Field(max_length=64, index=True)
    patient_ref: str = Field(max_length=40, index=True)
    episode_id: str = Field(max_length=40, index=True)
    assignee_id: str | None = Field(default=None, max_length=40, index=True)
    status: str = Field(max_length=16, index=True)  # open, done, cancelled
    opened_at: datetime
    closed_at: datetime | None = None
    outcome: str | None = Field(default=None, max_length=200)


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


class Alumnus(SQLModel, table=True):
    """A patient who completed the aftercare programme."""

    __tablename__ = "aftercare_alumnus"

    patient_ref: str = Field(primary_key=True, max_length=40)
    branch: str = Field(max_length=64, index=True)
    completed_episode_id: str = Field(max_length=40)
    joined_at: datetime
    version: int = 1


class Candidate(SQLModel, table=True):
    """An alumnus on the path to becoming a peer mentor."""

    __tablename__ = "aftercare_candidate"

    candidate_id: str = Field(primary_key=True, max_length=40)
    patient_ref: str = Field(max_length=40, index=True)
    branch: str = Field(max_length=64, index=True)
    source: str = Field(max_length=16)  # interest, nomination
    nominated_by: str | None = Field(default=None, max_length=40)
    languages: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    lived_experience: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    # course -> {"completed_on": "YYYY-MM-DD", "expires_on": "YYYY-MM-DD"}
    courses: dict[str, dict[str, str]] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    status: str = Field(max_length=16, index=True)  # training, certified, withdrawn
    opened_at: datetime
    certified_at: datetime | None = None
    changed_at: datetime
    version: int = 1


class EpisodeProjection(EpisodeProjectionBase, table=True):
    """Intake's episode state as last applied here, with its times and disposition."""

    __tablename__ = "aftercare_episode"

    admitted_at: datetime | None = None
    discharged_at: datetime | None = None
    disposition: str | None = Field(default=None, max_length=64)


class ConsentProjection(ConsentProjectionBase, table=True):
    """Intake's consent of each stay as last applied here."""

    __tablename__ = "aftercare_stay_consent"


class AuditRecord(AuditRecordBase, table=True):
    """The aftercare service's audit trail (append-only)."""

    __tablename__ = "aftercare_audit"


TABLES = (
    "aftercare_audit",
    "aftercare_group",
    "aftercare_enrolment",
    "aftercare_task",
    "aftercare_follow_up",
    "aftercare_follow_up_contact",
    "aftercare_readmission",
    "aftercare_alumnus",
    "aftercare_candidate",
    "aftercare_wish",
    "aftercare_match",
    "aftercare_episode",
    "aftercare_stay_consent",
    "outbox",
    "inbox",
)
