"""HTTP models of the directory."""

from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

from shared.fields import Code, LanguageCode

Role = Literal["clinician", "coordinator", "supervisor", "mentor", "branch_lead", "ops"]
Kind = Literal[
    "crisis",
    "proposal",
    "coordinator_task",
    "outreach",
    "dead_letter",
    "certification",
    "supervision",
    "wellbeing",
]
ExternalChannel = Literal["email", "sms"]
HHMM = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


class QuietHours(BaseModel):
    """A daily window in the person's zone when only the console hears non-crisis alerts."""

    model_config = ConfigDict(extra="forbid")

    start: str = Field(pattern=HHMM, examples=["22:00"])
    end: str = Field(pattern=HHMM, examples=["07:00"])


class PersonRequest(BaseModel):
    """A person who receives alerts; a person may change their own contacts and preferences,
    only a coordinator their roles and branches."""

    model_config = ConfigDict(extra="forbid")

    roles: list[Role] = Field(min_length=1, max_length=6)
    branches: list[Code] = Field(default=[], max_length=50, description="empty: network-wide")
    email: str | None = Field(None, max_length=320, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    phone: str | None = Field(None, pattern=r"^\+?[0-9]{6,20}$")
    language: LanguageCode = "en"
    timezone: str = Field("Asia/Kolkata", max_length=64)
    channels: dict[Kind, list[ExternalChannel]] = Field(
        default={}, description="external channels per kind (the console always; a crisis: all)"
    )
    quiet_hours: QuietHours | None = None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value


class PersonView(BaseModel):
    """A person in the directory."""

    person_id: str
    roles: list[str]
    branches: list[str]
    email: str | None
    phone: str | None
    language: str
    timezone: str
    channels: dict[str, list[str]]
    quiet_hours: QuietHours | None
    updated_at: datetime
    version: int
