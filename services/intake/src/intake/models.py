"""Intake tables: the identity vault (patients, identifiers), episodes, consent per stay, HL7
log."""

from datetime import date, datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

from shared.audit import AuditRecordBase
from shared.contracts.envelope import utcnow


class Patient(SQLModel, table=True):
    """Identity of a patient: only intake ever stores it."""

    __tablename__ = "intake_patient"

    patient_ref: str = Field(primary_key=True, max_length=40)
    given_name: str = Field(max_length=200)
    family_name: str = Field(max_length=200)
    birth_date: date | None = None
    sex: str | None = Field(default=None, max_length=16)
    phone: str | None = Field(default=None, max_length=64)
    language: str | None = Field(default=None, max_length=16)
    merged_into: str | None = Field(default=None, max_length=40)
    erased_at: datetime | None = None  # identity erased at the patient's request
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class PatientIdentifier(SQLModel, table=True):
    """An identifier of a patient, keyed by (assigning authority, type, value) in canonical form
    (`intake.identifiers`); one owner per key, so the same ABHA number or enterprise id finds
    the same patient at any branch, while MRN 12345 of two hospitals stays two people."""

    __tablename__ = "intake_patient_identifier"

    authority: str = Field(primary_key=True, max_length=128)
    type: str = Field(primary_key=True, max_length=32)
    value: str = Field(primary_key=True, max_length=64)
    patient_ref: str = Field(foreign_key="intake_patient.patient_ref", index=True, max_length=40)
    # Never loaded (async code does not lazy-load); it makes a flush insert the patient first.
    patient: Patient = Relationship()


class Episode(SQLModel, table=True):
    """One stay; `version` increments on every change and travels with every episode event."""

    __tablename__ = "intake_episode"
    __table_args__ = (
        UniqueConstraint("visit_authority", "visit_number", name="uq_intake_episode_visit"),
    )

    episode_id: str = Field(primary_key=True, max_length=40)
    patient_ref: str = Field(foreign_key="intake_patient.patient_ref", index=True, max_length=40)
    # Never loaded (async code does not lazy-load); it makes a flush insert the patient first.
    patient: Patient = Relationship()
    # Who issued the visit number: the admitting branch for REST and FHIR, the EHR (PV1-19
    # assigning authority or the sender) for HL7. A visit number is unique per authority.
    visit_authority: str = Field(max_length=64)
    visit_number: str = Field(max_length=64)
    branch: str = Field(max_length=64)
    ward: str = Field(max_length=64)
    language: str = Field(max_length=16)
    status: str = Field(max_length=16)
    admitted_at: datetime
    discharged_at: datetime | None = None
    disposition: str | None = Field(default=None, max_length=64)
    version: int = 1
    updated_at: datetime = Field(default_factory=utcnow)


class StayConsent(SQLModel, table=True):
    """A patient's answer about peer support for one stay: given, declined or withdrawn."""

    __tablename__ = "intake_stay_consent"

    episode_id: str = Field(
        primary_key=True, foreign_key="intake_episode.episode_id", max_length=40
    )
    patient_ref: str = Field(foreign_key="intake_patient.patient_ref", index=True, max_length=40)
    status: str = Field(max_length=16)
    text_version: str = Field(max_length=32)
    text_language: str = Field(max_length=16)
    recorded_by: str = Field(max_length=200)
    recorded_at: datetime
    carried_over_from: str | None = Field(default=None, max_length=40)
    version: int = 1


class Hl7Message(SQLModel, table=True):
    """Every HL7 message answered, by sender and MSH-10, with the ACK sent: a resend gets the
    same answer and no second effect. No message content is kept, only its digest."""

    __tablename__ = "intake_hl7_message"

    sender: str = Field(primary_key=True, max_length=200)
    control_id: str = Field(primary_key=True, max_length=200)
    message_type: str = Field(max_length=16)
    ack_code: str = Field(max_length=2)
    ack: str = Field(sa_column=Column(Text, nullable=False))  # JSON list of the ACKs sent
    digest: str = Field(max_length=64)
    received_at: datetime = Field(default_factory=utcnow)


class AuditRecord(AuditRecordBase, table=True):
    """The intake service's audit trail (append-only)."""

    __tablename__ = "intake_audit"


TABLES = (
    "intake_audit",
    "intake_patient",
    "intake_patient_identifier",
    "intake_episode",
    "intake_stay_consent",
    "intake_hl7_message",
    "outbox",
    "inbox",
)
