"""Matching tables: the shared mentor pool, matches, waitlist and projections of intake's state."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, Index, text
from sqlmodel import Field, SQLModel

from shared.audit import AuditRecordBase
from shared.contracts.envelope import utcnow
from shared.intake_projection import ConsentProjectionBase, EpisodeProjectionBase


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


HOLDING = ("proposed", "active")  # statuses that hold a mentor's place


class Match(SQLModel, table=True):
    """A mentor matched to a patient for one episode; at most one proposed or active per
    episode. A proposed match waits for review or sign-off (`awaiting`) and holds the place."""

    __tablename__ = "matching_match"
    __table_args__ = (
        Index(
            "uq_match_one_holding_per_episode",
            "episode_id",
            unique=True,
            sqlite_where=text("status IN ('proposed', 'active')"),
            postgresql_where=text("status IN ('proposed', 'active')"),
        ),
        Index("ix_matching_match_review_due", "status", "review_due_at"),
    )

    match_id: str = Field(primary_key=True, max_length=40)
    episode_id: str = Field(index=True, max_length=40)
    patient_ref: str = Field(max_length=40)
    mentor_id: str = Field(foreign_key="matching_mentor.mentor_id", index=True, max_length=40)
    branch: str = Field(max_length=64)
    status: str = Field(max_length=16)
    matched_at: datetime = Field(default_factory=utcnow)
    ended_at: datetime | None = None
    ended_reason: str | None = Field(default=None, max_length=200)
    # Why this mentor: the score of each criterion, the weights, and who came next.
    explanation: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    # Review and sign-off: who must still approve ("coordinator", "supervisor"), the mentor's
    # supervisor who signs off, the deadline, and every decision taken ({by, role, decision, at}).
    awaiting: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    supervisor_id: str | None = Field(default=None, max_length=40)
    proposed_at: datetime | None = None
    review_due_at: datetime | None = None
    escalated_at: datetime | None = None
    reviews: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    # Set when the match goes on past discharge into aftercare: it ends at this time.
    continues_until: datetime | None = Field(default=None, index=True)
    version: int = 1


class MentorExclusion(SQLModel, table=True):
    """A mentor this patient is never matched with: they declined or asked for a change, or
    the mentor declared a conflict of interest."""

    __tablename__ = "matching_exclusion"

    patient_ref: str = Field(primary_key=True, max_length=40)
    mentor_id: str = Field(primary_key=True, max_length=40)
    reason: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow)


class WaitlistEntry(SQLModel, table=True):
    """A patient waiting for a mentor; one entry per episode."""

    __tablename__ = "matching_waitlist"

    episode_id: str = Field(primary_key=True, max_length=40)
    patient_ref: str = Field(max_length=40)
    branch: str = Field(max_length=64)
    language: str = Field(max_length=16)
    status: str = Field(max_length=16, index=True)
    since: datetime = Field(default_factory=utcnow)
    version: int = 1


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
    same-ward conflict of interest)."""

    __tablename__ = "matching_episode"

    ward: str | None = Field(default=None, max_length=64)
    discharged_at: datetime | None = None
    disposition: str | None = Field(default=None, max_length=64)


class ConsentProjection(ConsentProjectionBase, table=True):
    """Intake's consent of each stay as last applied here."""

    __tablename__ = "matching_stay_consent"


class AuditRecord(AuditRecordBase, table=True):
    """The matching service's audit trail (append-only)."""

    __tablename__ = "matching_audit"


TABLES = (
    "matching_audit",
    "matching_mentor",
    "matching_mentor_certification",
    "matching_mentor_language",
    "matching_mentor_branch",
    "matching_mentor_link",
    "matching_match",
    "matching_waitlist",
    "matching_exclusion",
    "matching_patient_preferences",
    "matching_episode_risk",
    "matching_episode",
    "matching_stay_consent",
    "outbox",
    "inbox",
)
