"""Identity vault tables: patients and their identifiers."""

from datetime import date, datetime

from sqlmodel import Field, Relationship, SQLModel

from shared.contracts.envelope import utcnow

TABLES = ("intake_patient", "intake_patient_identifier")


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
    (`intake.identity.domain`); one owner per key, so the same ABHA number or enterprise id finds
    the same patient at any branch, while MRN 12345 of two hospitals stays two people."""

    __tablename__ = "intake_patient_identifier"

    authority: str = Field(primary_key=True, max_length=128)
    type: str = Field(primary_key=True, max_length=32)
    value: str = Field(primary_key=True, max_length=64)
    patient_ref: str = Field(foreign_key="intake_patient.patient_ref", index=True, max_length=40)
    # Never loaded (async code does not lazy-load); it makes a flush insert the patient first.
    patient: Patient = Relationship()
