"""Consent table: a patient's answer about peer support, one per stay."""

from datetime import datetime

from sqlmodel import Field, SQLModel

TABLES = ("intake_stay_consent",)


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
