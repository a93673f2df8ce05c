"""Pool tables: the mentors every branch shares, their certifications, languages and branches,
and intake's links of mentors to their own patient records."""

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Column
from sqlmodel import Field, SQLModel

from shared.contracts.envelope import utcnow


class Mentor(SQLModel, table=True):
    """A certified peer mentor in the pool every branch shares."""

    __tablename__ = "matching_mentor"
    __table_args__ = (CheckConstraint("active_mentees >= 0", name="ck_mentor_mentees_nonnegative"),)

    mentor_id: str = Field(primary_key=True, max_length=40)
    display_name: str = Field(max_length=200)
    lived_experience: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    capacity: int = Field(ge=0)
    active_mentees: int = 0
    # The earliest expiry among the core certifications; None while one is missing. Kept with
    # the certifications so eligibility is one indexed comparison.
    certified_until: date | None = Field(default=None, index=True)
    # Expiry of the crisis-response certification: high-risk patients need it valid.
    crisis_certified_until: date | None = None
    status: str = Field(max_length=16, index=True)
    gender: str | None = Field(default=None, max_length=16)
    age_band: str | None = Field(default=None, max_length=16)
    remote_ok: bool = False
    interests: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    supervisor_id: str | None = Field(default=None, max_length=40, index=True)
    # A dated leave (both days included): no new mentee while it lasts, whatever the status.
    # `leave_begun` notes that its start was applied (mentees handed over, sessions told).
    leave_starts_on: date | None = None
    leave_ends_on: date | None = None
    leave_begun: bool = False
    # The patient record this mentor is (a coordinator's link, else aftercare's nomination):
    # never matched to themselves, and no mentee while they are admitted.
    former_patient_ref: str | None = Field(default=None, max_length=40, index=True)
    nominated_patient_ref: str | None = Field(default=None, max_length=40)
    nomination_version: int | None = None
    version: int = 1
    updated_at: datetime = Field(default_factory=utcnow)


class MentorPatientLink(SQLModel, table=True):
    """Intake's link of a mentor to their own patient record, as last applied (it may arrive
    before the mentor is registered here)."""

    __tablename__ = "matching_mentor_link"

    mentor_id: str = Field(primary_key=True, max_length=40)
    patient_ref: str = Field(max_length=40, index=True)
    status: str = Field(max_length=16)
    version: int


class MentorCertification(SQLModel, table=True):
    """One certification of a mentor (active listening, boundaries, crisis response, ethics …)."""

    __tablename__ = "matching_mentor_certification"

    mentor_id: str = Field(foreign_key="matching_mentor.mentor_id", primary_key=True, max_length=40)
    kind: str = Field(primary_key=True, max_length=64)
    issued_on: date
    expires_on: date = Field(index=True)


class MentorLanguage(SQLModel, table=True):
    """A language a mentor supports patients in."""

    __tablename__ = "matching_mentor_language"

    mentor_id: str = Field(foreign_key="matching_mentor.mentor_id", primary_key=True, max_length=40)
    language: str = Field(primary_key=True, max_length=16, index=True)


class MentorBranch(SQLModel, table=True):
    """A branch a mentor serves."""

    __tablename__ = "matching_mentor_branch"

    mentor_id: str = Field(foreign_key="matching_mentor.mentor_id", primary_key=True, max_length=40)
    branch: str = Field(primary_key=True, max_length=64, index=True)


class CertificationAnnounced(SQLModel, table=True):
    """A certification whose entry into the notice window was announced (once per mentor,
    certification and expiry date: a renewal is a new date, announced when its time comes)."""

    __tablename__ = "matching_certification_announced"

    mentor_id: str = Field(primary_key=True, max_length=40)
    kind: str = Field(primary_key=True, max_length=64)
    expires_on: date = Field(primary_key=True)
    announced_at: datetime


class SupervisionWatch(SQLModel, table=True):
    """Whether a supervisor was over the supervision ratio when last looked at, and how often
    they went over (each crossing is announced once)."""

    __tablename__ = "matching_supervision_watch"

    supervisor_id: str = Field(primary_key=True, max_length=40)
    over: bool = False
    crossings: int = 0
    mentors: int = 0
    changed_at: datetime


TABLES = (
    "matching_mentor",
    "matching_mentor_certification",
    "matching_mentor_language",
    "matching_mentor_branch",
    "matching_mentor_link",
    "matching_certification_announced",
    "matching_supervision_watch",
)
