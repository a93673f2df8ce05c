"""Match table: a mentor matched to a patient for one episode (proposed, active or over)."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, text
from sqlmodel import Field, SQLModel

from shared.contracts.envelope import utcnow

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


TABLES = ("matching_match",)
