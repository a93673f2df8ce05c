"""Which patient record a mentor is: the link a coordinator made (identifiers stay in the vault)."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from shared.contracts.envelope import utcnow

LINKED, UNLINKED = "linked", "unlinked"
TABLES = ("intake_mentor_link",)


class MentorPatientLink(SQLModel, table=True):
    """A mentor and their own patient record; intake is the single writer of `version`."""

    __tablename__ = "intake_mentor_link"

    mentor_id: str = Field(primary_key=True, max_length=40)
    patient_ref: str = Field(foreign_key="intake_patient.patient_ref", index=True, max_length=40)
    status: str = Field(max_length=16)
    changed_by: str = Field(max_length=120)
    changed_at: datetime = Field(default_factory=utcnow)
    version: int = 1
