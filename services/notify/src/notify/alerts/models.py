"""Notifications: one alert to one person, with its state and when each state was reached."""

from datetime import datetime

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel


class Notification(SQLModel, table=True):
    """An alert addressed to a named person: queued → sent → delivered/failed → acknowledged,
    or closed when what it is about was settled elsewhere (e.g. a crisis taken on)."""

    __tablename__ = "notify_notification"
    __table_args__ = (
        UniqueConstraint("source_event_id", "person_id", name="uq_notify_notification_event"),
        Index("ix_notify_notification_person_created", "person_id", "created_at"),
        Index("ix_notify_notification_subject", "kind", "subject_id"),
    )

    notification_id: str = Field(primary_key=True, max_length=40)
    person_id: str = Field(max_length=40)
    kind: str = Field(max_length=32, index=True)
    branch: str | None = Field(default=None, max_length=64, index=True)
    subject_id: str = Field(max_length=200)  # the crisis, proposal, episode or dead letter
    severity: str | None = Field(default=None, max_length=16)
    title: str = Field(max_length=200)  # the subject in the person's language (no refs)
    facts: dict[str, str] = Field(  # allow-listed (channels/facts.py): what texts may say
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    state: str = Field(max_length=16, index=True)
    fallback: bool = False  # nobody matched: the network's coordinators took it
    deadline_at: datetime | None = None
    source_event_id: str = Field(max_length=64)
    correlation_id: str = Field(max_length=64)
    created_at: datetime
    sent_at: datetime | None = None
    delivered_at: datetime | None = None
    failed_at: datetime | None = None
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = Field(default=None, max_length=40)
    ack_channel: str | None = Field(default=None, max_length=16)
    closed_at: datetime | None = None
    version: int = 1


class MentorMatch(SQLModel, table=True):
    """Who mentors which stay (from matching's matches), so outreach reaches the mentor."""

    __tablename__ = "notify_match"

    match_id: str = Field(primary_key=True, max_length=40)
    episode_id: str = Field(max_length=40, index=True)
    mentor_id: str = Field(max_length=40)
    active: bool
    version: int


TABLES = ("notify_notification", "notify_match")
