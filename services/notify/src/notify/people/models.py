"""The directory's table (staff contact details: never logged, never in events)."""

from datetime import datetime

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


class Person(SQLModel, table=True):
    """Someone alerts reach: their roles and branches (empty: network-wide), how to reach
    them, and which channels each kind of alert uses outside their quiet hours."""

    __tablename__ = "notify_person"

    person_id: str = Field(primary_key=True, max_length=40)
    roles: list[str] = Field(sa_column=Column(JSON, nullable=False))
    branches: list[str] = Field(sa_column=Column(JSON, nullable=False))
    email: str | None = Field(default=None, max_length=320)
    phone: str | None = Field(default=None, max_length=32)
    language: str = Field(default="en", max_length=16)
    timezone: str = Field(default="Asia/Kolkata", max_length=64)
    channels: dict[str, list[str]] = Field(sa_column=Column(JSON, nullable=False))
    quiet_start: str | None = Field(default=None, max_length=5)
    quiet_end: str | None = Field(default=None, max_length=5)
    updated_at: datetime
    version: int = 1


TABLES = ("notify_person",)
