"""HTTP models of notifications."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

State = Literal["queued", "sent", "delivered", "failed", "acknowledged", "closed"]


class NotificationView(BaseModel):
    """One alert to one person, with when it reached each state."""

    model_config = ConfigDict(from_attributes=True)

    notification_id: str
    person_id: str
    kind: str
    branch: str | None
    subject_id: str
    severity: str | None
    title: str  # the subject of its texts, in the person's language
    facts: dict[str, str]  # what its texts say (allow-listed: no patient data)
    state: str
    fallback: bool
    deadline_at: datetime | None
    created_at: datetime
    sent_at: datetime | None
    delivered_at: datetime | None
    failed_at: datetime | None
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    ack_channel: str | None
    closed_at: datetime | None
