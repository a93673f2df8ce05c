"""Crisis HTTP bodies: duty rosters, flags, acknowledgements and resolutions."""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.fields import RecordId


class DutyLink(BaseModel):
    """One person on a branch's crisis duty chain."""

    model_config = ConfigDict(extra="forbid", strict=True)

    person_id: RecordId
    role: Literal["clinician", "supervisor", "branch_lead"]


class DutyRosterRequest(BaseModel):
    """A branch's duty chain in alert order: clinicians on duty, then a supervisor, then the
    branch lead."""

    model_config = ConfigDict(extra="forbid", strict=True)

    chain: list[DutyLink] = Field(min_length=1, max_length=20)


class DutyRosterView(DutyRosterRequest):
    """A branch's duty chain."""

    model_config = ConfigDict(from_attributes=True)

    branch: str
    updated_at: datetime
    version: int


class CrisisRequest(BaseModel):
    """One step for a mentor: which match, how severe, optionally the session and a few words."""

    model_config = ConfigDict(extra="forbid", strict=True)

    match_id: RecordId
    severity: Literal["moderate", "high", "critical"]
    session_id: RecordId | None = None
    summary: str | None = Field(
        default=None, max_length=1000, description="what the mentor saw (for the duty chain only)"
    )


class AcknowledgeRequest(BaseModel):
    """Someone alerted takes the crisis on."""

    model_config = ConfigDict(extra="forbid", strict=True)

    person_id: RecordId


class ResolveRequest(AcknowledgeRequest):
    """How the crisis was resolved."""

    resolution: str = Field(min_length=1, max_length=1000)


class CrisisView(BaseModel):
    """A crisis as the mentor and the duty chain see it (peer notes are never part of it)."""

    model_config = ConfigDict(from_attributes=True)

    crisis_id: str
    branch: str
    patient_ref: str
    mentor_id: str
    match_id: str
    session_id: str | None
    severity: str
    summary: str | None
    status: str
    level: int
    deadline_at: datetime | None
    alerts: list[dict[str, Any]]
    flagged_at: datetime
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    resolved_by: str | None
    resolved_at: datetime | None
    resolution: str | None
    version: int
