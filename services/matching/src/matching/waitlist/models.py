"""Waitlist table: patients waiting for a mentor, one entry per episode."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from shared.contracts.envelope import utcnow


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


TABLES = ("matching_waitlist",)
