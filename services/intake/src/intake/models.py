"""Intake tables: the identity vault (patients), episodes and consent."""

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from shared.contracts.envelope import utcnow


class Patient(SQLModel, table=True):
    """Identity of a patient: only intake ever stores it."""

    __tablename__ = "intake_patient"

    patient_ref: str = Field(primary_key=True, max_length=40)
    mrn: str = Field(unique=True, max_length=64)
    given_name: str = Field(max_length=200)
    family_name: str = Field(max_length=200)
    birth_date: date | None = None
    created_at: datetime = Field(default_factory=utcnow)


class Episode(SQLModel, table=True):
    """One stay; `version` increments on every change and travels with every episode event."""

    __tablename__ = "intake_episode"
    __table_args__ = (UniqueConstraint("admitting_branch", "visit_number"),)

    episode_id: str = Field(primary_key=True, max_length=40)
    patient_ref: str = Field(foreign_key="intake_patient.patient_ref", index=True, max_length=40)
    admitting_branch: str = Field(max_length=64)
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


class Consent(SQLModel, table=True):
    """A patient's current peer-support consent decision."""

    __tablename__ = "intake_consent"

    patient_ref: str = Field(
        primary_key=True, foreign_key="intake_patient.patient_ref", max_length=40
    )
    status: str = Field(max_length=16)
    text_version: str = Field(max_length=32)
    text_language: str = Field(max_length=16)
    recorded_by: str = Field(max_length=200)
    recorded_at: datetime
    version: int = 1


TABLES = ("intake_patient", "intake_episode", "intake_consent", "outbox", "inbox")
