"""Crisis tables: each branch's duty roster and the crises flagged (their timers are rows)."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel


class DutyRoster(SQLModel, table=True):
    """A branch's crisis duty roster (branch `network`: the network on-call): shifts in its time
    zone, each with the chain alerted first, next, … (clinicians on duty, then a supervisor,
    then the branch lead)."""

    __tablename__ = "sessions_duty_roster"

    branch: str = Field(primary_key=True, max_length=64)
    time_zone: str = Field(max_length=64)
    shifts: list[dict[str, Any]] = Field(sa_column=Column(JSON, nullable=False))
    updated_at: datetime
    version: int = 1


class Crisis(SQLModel, table=True):
    """A crisis a mentor flagged; `deadline_at` is the durable escalation timer."""

    __tablename__ = "sessions_crisis"
    __table_args__ = (Index("ix_sessions_crisis_due", "status", "deadline_at"),)

    crisis_id: str = Field(primary_key=True, max_length=40)
    branch: str = Field(index=True, max_length=64)
    patient_ref: str = Field(index=True, max_length=40)
    mentor_id: str = Field(index=True, max_length=40)
    match_id: str = Field(max_length=40)
    session_id: str | None = Field(default=None, max_length=40)
    severity: str = Field(max_length=16)
    # What the mentor saw, for those on the duty chain; never in events or logs.
    summary: str | None = Field(default=None, max_length=1000)
    status: str = Field(max_length=16)
    chain: list[dict[str, str]] = Field(sa_column=Column(JSON, nullable=False))
    level: int = 0
    # The level at which the current chain (the shift on duty then) took over: the person
    # alerted is chain[level - chain_level].
    chain_level: int = 0
    deadline_at: datetime | None = None
    alerts: list[dict[str, Any]] = Field(sa_column=Column(JSON, nullable=False))
    flagged_at: datetime
    acknowledged_by: str | None = Field(default=None, max_length=40)
    acknowledged_at: datetime | None = None
    resolved_by: str | None = Field(default=None, max_length=40)
    resolved_at: datetime | None = None
    resolution: str | None = Field(default=None, max_length=1000)
    version: int = 1


TABLES = (
    "sessions_duty_roster",
    "sessions_crisis",
)
