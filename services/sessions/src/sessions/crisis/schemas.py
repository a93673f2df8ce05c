"""Crisis HTTP bodies: duty rosters, flags, acknowledgements and resolutions."""

from datetime import datetime
from functools import cache
from typing import Annotated, Any, Literal
from zoneinfo import available_timezones

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.fields import RecordId


class DutyLink(BaseModel):
    """One person on a branch's crisis duty chain."""

    model_config = ConfigDict(extra="forbid", strict=True)

    person_id: RecordId
    role: Literal["clinician", "supervisor", "branch_lead"]


Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
ClockTime = Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", examples=["08:00"])]


@cache
def time_zones() -> frozenset[str]:
    """The IANA zones this host knows."""
    return frozenset(available_timezones())


ALL_DAYS: list[Day] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class ShiftRequest(BaseModel):
    """A shift: who is alerted, in order, from `starts` to `ends` (local time) on its days; an
    `ends` at or before `starts` crosses midnight (`00:00`-`00:00`: all day)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    name: str = Field(min_length=1, max_length=40)
    days: list[Day] = Field(
        default_factory=lambda: list(ALL_DAYS), min_length=1, description="days it starts on"
    )
    starts: ClockTime = "00:00"
    ends: ClockTime = "00:00"
    chain: list[DutyLink] = Field(min_length=1, max_length=20)


class DutyRosterRequest(BaseModel):
    """A roster: shifts in the branch's time zone, each with its chain in alert order
    (clinicians on duty, then a supervisor, then the branch lead). Only `chain` (no shifts)
    means one shift at all hours."""

    model_config = ConfigDict(extra="forbid", strict=True)

    time_zone: str | None = Field(
        default=None, description="IANA zone, e.g. Asia/Kolkata (default SESSIONS_BRANCH_TIMEZONE)"
    )
    shifts: list[ShiftRequest] | None = Field(default=None, min_length=1, max_length=50)
    chain: list[DutyLink] | None = Field(default=None, min_length=1, max_length=20)

    @model_validator(mode="after")
    def _shifts_or_chain(self) -> "DutyRosterRequest":
        if (self.shifts is None) == (self.chain is None):
            raise ValueError("give either shifts or a chain (a chain alone: all hours)")
        names = [shift.name for shift in self.shifts or []]
        if len(set(names)) < len(names):
            raise ValueError("each shift of a roster has its own name")
        if self.time_zone is not None and self.time_zone not in time_zones():
            raise ValueError(
                f"unknown time zone {self.time_zone!r} (an IANA zone, e.g. Asia/Kolkata)"
            )
        return self

    def all_shifts(self) -> list[ShiftRequest]:
        """The shifts, a lone chain being one shift at all hours."""
        if self.shifts is not None:
            return self.shifts
        return [ShiftRequest(name="all hours", chain=self.chain or [])]


class DutyRosterView(BaseModel):
    """A roster and, for convenience, the shift on duty now."""

    model_config = ConfigDict(from_attributes=True)

    branch: str
    time_zone: str
    shifts: list[ShiftRequest]
    on_duty_now: str | None = Field(default=None, description="the shift on duty now")
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
