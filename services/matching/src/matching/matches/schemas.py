"""Match HTTP bodies: a match as shown, and a patient's wish to end it."""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class MatchView(BaseModel):
    """A match."""

    model_config = ConfigDict(from_attributes=True)

    match_id: str
    episode_id: str
    patient_ref: str
    mentor_id: str
    branch: str
    status: str
    matched_at: datetime
    ended_at: datetime | None
    ended_reason: str | None
    explanation: dict[str, Any] | None = Field(
        default=None,
        description="why this mentor: each criterion's score (0-1), the weights, who came next",
    )
    awaiting: list[str] = Field(
        default_factory=list, description="who must still approve a proposed match"
    )
    supervisor_id: str | None = None
    review_due_at: datetime | None = None
    escalated_at: datetime | None = None
    reviews: list[dict[str, Any]] = Field(default_factory=list)
    continues_until: datetime | None = Field(
        default=None, description="set while the match goes on past discharge into aftercare"
    )
    version: int


class DeclineRequest(BaseModel):
    """Why a match ends at the patient's wish (that mentor is not offered to them again)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    reason: Literal["patient_declined", "patient_asked_for_change", "coordinator_override"]
