"""Deliveries: one notification on one channel (written with the notification, sent later)."""

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel


class Delivery(SQLModel, table=True):
    """pending → sending → sent, or retried until failed; cancelled when the notification was
    acknowledged or closed first. The console's row is delivered when the live feed shows it."""

    __tablename__ = "notify_delivery"
    __table_args__ = (
        UniqueConstraint("notification_id", "channel", name="uq_notify_delivery_channel"),
        Index("ix_notify_delivery_due", "state", "due_at"),
    )

    delivery_id: str = Field(primary_key=True, max_length=40)
    notification_id: str = Field(
        foreign_key="notify_notification.notification_id", index=True, max_length=40
    )
    channel: str = Field(max_length=16)  # console, email, sms
    state: str = Field(max_length=16)
    attempts: int = 0
    due_at: datetime
    lease_until: datetime | None = None
    last_reason: str | None = Field(default=None, max_length=200)
    provider_id: str | None = Field(default=None, max_length=200)
    created_at: datetime
    sent_at: datetime | None = None
    failed_at: datetime | None = None


TABLES = ("notify_delivery",)
