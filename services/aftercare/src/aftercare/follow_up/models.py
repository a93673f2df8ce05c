"""Follow-up tables: the follow-ups due after discharge, the contacts made for them, and the
tasks for people."""

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class FollowUp(SQLModel, table=True):
    """A follow-up contact due after discharge; `due_by` is the durable timer."""

    __tablename__ = "aftercare_follow_up"
    __table_args__ = (Index("ix_aftercare_follow_up_due", "status", "due_by"),)

    follow_up_id: str = Field(primary_key=True, max_length=40)
    episode_id: str = Field(max_length=40, index=True)
    patient_ref: str = Field(max_length=40, index=True)
    branch: str = Field(max_length=64, index=True)
    kind: str = Field(max_length=16)  # day_7, day_30
    discharged_at: datetime
    due_by: datetime
    status: str = Field(max_length=16)  # due, completed, missed, cancelled
    completed_at: datetime | None = None
    closed_reason: str | None = Field(default=None, max_length=200)
    version: int = 1


class FollowUpContact(SQLModel, table=True):
    """One try to reach the patient for a follow-up."""

    __tablename__ = "aftercare_follow_up_contact"

    contact_id: str = Field(primary_key=True, max_length=40)
    follow_up_id: str = Field(
        foreign_key="aftercare_follow_up.follow_up_id", index=True, max_length=40
    )
    at: datetime
    reached: bool
    channel: str = Field(max_length=16)
    by: str = Field(max_length=40)
    counted: bool


class Task(SQLModel, table=True):
    """Work for a person: a coordinator (no assignee: the branch's coordinators) or a mentor."""

    __tablename__ = "aftercare_task"

    task_id: str = Field(primary_key=True, max_length=40)
    kind: str = Field(max_length=40, index=True)
    branch: str = Field(max_length=64, index=True)
    patient_ref: str = Field(max_length=40, index=True)
    episode_id: str = Field(max_length=40, index=True)
    assignee_id: str | None = Field(default=None, max_length=40, index=True)
    status: str = Field(max_length=16, index=True)  # open, done, cancelled
    opened_at: datetime
    closed_at: datetime | None = None
    outcome: str | None = Field(default=None, max_length=200)


TABLES = ("aftercare_task", "aftercare_follow_up", "aftercare_follow_up_contact")
