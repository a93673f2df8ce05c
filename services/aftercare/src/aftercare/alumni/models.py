"""Alumni tables: alumni, and alumni on the path to becoming peer mentors."""

from datetime import datetime

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


class Alumnus(SQLModel, table=True):
    """A patient who completed the aftercare programme."""

    __tablename__ = "aftercare_alumnus"

    patient_ref: str = Field(primary_key=True, max_length=40)
    branch: str = Field(max_length=64, index=True)
    completed_episode_id: str = Field(max_length=40)
    joined_at: datetime
    version: int = 1


class Candidate(SQLModel, table=True):
    """An alumnus on the path to becoming a peer mentor."""

    __tablename__ = "aftercare_candidate"

    candidate_id: str = Field(primary_key=True, max_length=40)
    patient_ref: str = Field(max_length=40, index=True)
    branch: str = Field(max_length=64, index=True)
    source: str = Field(max_length=16)  # interest, nomination
    nominated_by: str | None = Field(default=None, max_length=40)
    languages: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    lived_experience: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    # course -> {"completed_on": "YYYY-MM-DD", "expires_on": "YYYY-MM-DD"}
    courses: dict[str, dict[str, str]] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    status: str = Field(max_length=16, index=True)  # training, certified, withdrawn
    opened_at: datetime
    certified_at: datetime | None = None
    changed_at: datetime
    version: int = 1


TABLES = ("aftercare_alumnus", "aftercare_candidate")
