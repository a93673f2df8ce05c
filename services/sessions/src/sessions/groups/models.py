"""Sessions tables: sessions and matching's match state as last applied."""

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from shared.audit import AuditRecordBase
from shared.intake_projection import (
    ConsentProjectionBase,
    EpisodeProjectionBase,
    PatientMergeBase,
)


class PeerSession(SQLModel, table=True):
    """A 1:1 session; the peer note stays here and never travels in events."""

    __tablename__ = "sessions_session"
    __table_args__ = (
        Index(
            "uq_session_one_introduction_per_match",
            "match_id",
            unique=True,
            sqlite_where=text("kind = 'introduction'"),
            postgresql_where=text("kind = 'introduction'"),
        ),
    )

    session_id: str = Field(primary_key=True, max_length=40)
    match_id: str = Field(index=True, max_length=40)
    episode_id: str = Field(max_length=40)
    patient_ref: str = Field(index=True, max_length=40)
    mentor_id: str = Field(index=True, max_length=40)
    kind: str = Field(max_length=20)
    status: str = Field(max_length=16, index=True)
    scheduled_for: datetime = Field(index=True)
    planned_minutes: int = 45
    cancel_reason: str | None = Field(default=None, max_length=200)
    missed_at: datetime | None = None
    attended: bool | None = None
    duration_minutes: int | None = None
    note: str | None = Field(default=None, max_length=4000)
    completed_at: datetime | None = None
    # The mentor's supervisor read the peer note.
    note_reviewed_by: str | None = Field(default=None, max_length=40)
    note_reviewed_at: datetime | None = None
    version: int = 1


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


class MentorAvailability(SQLModel, table=True):
    """A weekly window a mentor can hold sessions in (branch local time)."""

    __tablename__ = "sessions_mentor_availability"

    mentor_id: str = Field(primary_key=True, max_length=40)
    weekday: int = Field(primary_key=True, ge=0, le=6)
    start: time = Field(primary_key=True)
    end: time


class DutyRoster(SQLModel, table=True):
    """A branch's crisis duty chain: who is alerted first, next, … (clinicians on duty, then a
    supervisor, then the branch lead)."""

    __tablename__ = "sessions_duty_roster"

    branch: str = Field(primary_key=True, max_length=64)
    chain: list[dict[str, str]] = Field(sa_column=Column(JSON, nullable=False))
    updated_at: datetime
    version: int = 1


class Crisis(SQLModel, table=True):
    """A crisis a mentor flagged; `deadline_at` is the durable escalation timer."""

    __tablename__ = "sessions_crisis"
    __table_args__ = (Index("ix_sessions_crisis_due", "status", "deadline_at"),)

    crisis_id: str = Field(primary_key=True, max_length=40)
    branch: str = Field(index=True, max_length=64)
    patient_ref: str = Field(index=True, max_length=40)
    mentor_id: str = Field(index=True, max_length=40)
    match_id: str = Field(max_length=40)
    session_id: str | None = Field(default=None, max_length=40)
    severity: str = Field(max_length=16)
    # What the mentor saw, for those on the duty chain; never in events or logs.
    summary: str | None = Field(default=None, max_length=1000)
    status: str = Field(max_length=16)
    chain: list[dict[str, str]] = Field(sa_column=Column(JSON, nullable=False))
    level: int = 0
    deadline_at: datetime | None = None
    alerts: list[dict[str, Any]] = Field(sa_column=Column(JSON, nullable=False))
    flagged_at: datetime
    acknowledged_by: str | None = Field(default=None, max_length=40)
    acknowledged_at: datetime | None = None
    resolved_by: str | None = Field(default=None, max_length=40)
    resolved_at: datetime | None = None
    resolution: str | None = Field(default=None, max_length=1000)
    version: int = 1


class Goal(SQLModel, table=True):
    """A recovery goal, in the patient's own words, owned by the patient."""

    __tablename__ = "sessions_goal"

    goal_id: str = Field(primary_key=True, max_length=40)
    match_id: str = Field(index=True, max_length=40)
    patient_ref: str = Field(index=True, max_length=40)
    mentor_id: str = Field(index=True, max_length=40)
    what: str = Field(max_length=300)
    why: str = Field(max_length=500)
    steps: list[str] = Field(sa_column=Column(JSON, nullable=False))
    target_date: date | None = None
    status: str = Field(max_length=16)
    progress: int = 0
    set_at: datetime
    closed_at: datetime | None = None
    closed_reason: str | None = Field(default=None, max_length=300)
    version: int = 1


class GoalCheckIn(SQLModel, table=True):
    """Progress on a goal at a check-in (the note is a peer note: it stays here)."""

    __tablename__ = "sessions_goal_check_in"

    check_in_id: str = Field(primary_key=True, max_length=40)
    goal_id: str = Field(foreign_key="sessions_goal.goal_id", index=True, max_length=40)
    at: datetime
    progress: int = Field(ge=0, le=100)
    note: str | None = Field(default=None, max_length=1000)


class QuestionnaireResponse(SQLModel, table=True):
    """A completed questionnaire and its score."""

    __tablename__ = "sessions_questionnaire_response"

    response_id: str = Field(primary_key=True, max_length=40)
    questionnaire_id: str = Field(index=True, max_length=40)
    patient_ref: str = Field(index=True, max_length=40)
    match_id: str = Field(max_length=40)
    answers: dict[str, int] = Field(sa_column=Column(JSON, nullable=False))
    raw: float
    score: float
    band: str = Field(max_length=64)
    alerts: list[str] = Field(sa_column=Column(JSON, nullable=False))
    kind: str = Field(max_length=16)  # "baseline" or "remeasure"
    taken_at: datetime


class SupervisionMeeting(SQLModel, table=True):
    """A supervision meeting a supervisor held with a mentor."""

    __tablename__ = "sessions_supervision_meeting"

    meeting_id: str = Field(primary_key=True, max_length=40)
    supervisor_id: str = Field(index=True, max_length=40)
    mentor_id: str = Field(index=True, max_length=40)
    held_at: datetime
    minutes: int
    notes: str | None = Field(default=None, max_length=2000)


class WellbeingCheck(SQLModel, table=True):
    """How a mentor is doing (peer workers need support too): 1 (struggling) to 5 (well)."""

    __tablename__ = "sessions_wellbeing_check"

    check_id: str = Field(primary_key=True, max_length=40)
    mentor_id: str = Field(index=True, max_length=40)
    at: datetime
    score: int = Field(ge=1, le=5)
    wants_support: bool = False
    note: str | None = Field(default=None, max_length=1000)


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


class Group(SQLModel, table=True):
    """A peer-led group meeting weekly at a branch, with its places taken."""

    __tablename__ = "sessions_group"
    __table_args__ = (
        # Inpatient places are checked on the locked row; aftercare, which fills outpatient
        # groups, is the judge of their capacity, so only the floor is a constraint here.
        CheckConstraint("enrolled >= 0", name="ck_group_enrolled_nonnegative"),
    )

    group_id: str = Field(primary_key=True, max_length=40)
    title: str = Field(max_length=120)
    branch: str = Field(index=True, max_length=64)
    setting: str = Field(max_length=16)
    focus: str = Field(max_length=40)  # the first of `focuses` (what version-1 events carry)
    focuses: list[str] = Field(sa_column=Column(JSON, nullable=False))
    # For whom: a gender and age bands (none: everyone); checked against what the patient's
    # mentor or coordinator states when enrolling or asking for offers, never stored.
    audience_gender: str | None = Field(default=None, max_length=16)
    audience_age_bands: list[str] = Field(sa_column=Column(JSON, nullable=False))
    online: bool = False
    network_wide: bool = False  # online, open to patients of every branch
    language: str = Field(max_length=16)
    capacity: int
    enrolled: int = 0
    weekday: int
    start_time: time
    minutes: int
    starts_on: date
    ends_on: date | None = None
    facilitator_ids: list[str] = Field(sa_column=Column(JSON, nullable=False))
    status: str = Field(max_length=16, index=True)
    created_at: datetime
    version: int = 1


class GroupEnrolment(SQLModel, table=True):
    """A patient's place in a group."""

    __tablename__ = "sessions_group_enrolment"

    group_id: str = Field(foreign_key="sessions_group.group_id", primary_key=True, max_length=40)
    patient_ref: str = Field(primary_key=True, index=True, max_length=40)
    status: str = Field(max_length=16)
    enrolled_at: datetime
    left_at: datetime | None = None
    left_reason: str | None = Field(default=None, max_length=200)
    version: int = 1


class AftercarePlace(SQLModel, table=True):
    """Aftercare's enrolment of a discharged patient as last applied here: it decides who goes
    to which outpatient group; sessions keeps the roster for meetings and attendance."""

    __tablename__ = "sessions_aftercare_place"

    enrolment_id: str = Field(primary_key=True, max_length=40)
    patient_ref: str = Field(index=True, max_length=40)
    group_id: str | None = Field(default=None, max_length=40)
    status: str = Field(max_length=16)
    version: int


class AlumnusProjection(SQLModel, table=True):
    """A patient aftercare says completed the programme: alumni groups are open to them."""

    __tablename__ = "sessions_alumnus"

    patient_ref: str = Field(primary_key=True, max_length=40)
    version: int


class GroupMeeting(SQLModel, table=True):
    """One meeting of a group, planned ahead so it can be staffed, cancelled or recorded."""

    __tablename__ = "sessions_group_meeting"
    __table_args__ = (
        UniqueConstraint("group_id", "starts_at", name="uq_group_meeting_time"),
        Index("ix_sessions_group_meeting_due", "status", "starts_at"),
    )

    meeting_id: str = Field(primary_key=True, max_length=40)
    group_id: str = Field(foreign_key="sessions_group.group_id", index=True, max_length=40)
    starts_at: datetime
    minutes: int
    facilitator_ids: list[str] = Field(sa_column=Column(JSON, nullable=False))
    substitute: bool = False
    status: str = Field(max_length=16)
    cancel_reason: str | None = Field(default=None, max_length=200)
    notice_hours: float | None = None
    held_at: datetime | None = None
    version: int = 1


class GroupAttendance(SQLModel, table=True):
    """Whether an enrolled patient came to a meeting."""

    __tablename__ = "sessions_group_attendance"

    meeting_id: str = Field(
        foreign_key="sessions_group_meeting.meeting_id", primary_key=True, max_length=40
    )
    patient_ref: str = Field(primary_key=True, index=True, max_length=40)
    attended: bool


class AuditRecord(AuditRecordBase, table=True):
    """The sessions service's audit trail (append-only)."""

    __tablename__ = "sessions_audit"


TABLES = (
    "sessions_audit",
    "sessions_session",
    "sessions_match",
    "sessions_patient_merge",
    "sessions_mentor_availability",
    "sessions_duty_roster",
    "sessions_crisis",
    "sessions_goal",
    "sessions_goal_check_in",
    "sessions_questionnaire_response",
    "sessions_supervision_meeting",
    "sessions_wellbeing_check",
    "sessions_episode",
    "sessions_stay_consent",
    "sessions_mentor",
    "sessions_group",
    "sessions_group_enrolment",
    "sessions_aftercare_place",
    "sessions_alumnus",
    "sessions_group_meeting",
    "sessions_group_attendance",
    "outbox",
    "inbox",
)
