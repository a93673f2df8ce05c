"""EHR table: episodes (one per stay), as the EHR feeds admit, move and discharge them."""

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

from intake.identity.models import Patient
from shared.contracts.envelope import utcnow

TABLES = ("intake_episode",)


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
