"""Group tables: peer-led groups, patients' places, meetings and attendance, and aftercare's
decisions (outpatient places, alumni) as last applied here."""

from datetime import date, datetime, time

from sqlalchemy import JSON, CheckConstraint, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel


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


TABLES = (
    "sessions_group",
    "sessions_group_enrolment",
    "sessions_aftercare_place",
    "sessions_alumnus",
    "sessions_group_meeting",
    "sessions_group_attendance",
)
