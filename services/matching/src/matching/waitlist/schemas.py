"""Waitlist HTTP bodies."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict


class WaitlistView(BaseModel):
    """A waitlist entry."""

    model_config = ConfigDict(from_attributes=True)

    episode_id: str
    patient_ref: str
    branch: str
    language: str
    status: str
    since: datetime
    version: int
