"""Pool HTTP bodies: mentors as registered, updated and shown, certification notices and
supervision loads."""

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from shared.fields import Code, Day, Label, LanguageCode, RecordId

MentorStatus = Literal["trainee", "active", "on_leave", "suspended", "retired"]
Gender = Literal["female", "male", "non_binary", "other"]
AgeBand = Literal["18-25", "26-35", "36-50", "51-65", "65+"]


class Certification(BaseModel):
    """One certification of a mentor, e.g. `crisis_response` from its issue to its expiry."""

    model_config = ConfigDict(extra="forbid", from_attributes=True)

    kind: Code
    issued_on: Day
    expires_on: Day

    @model_validator(mode="after")
    def _expires_after_issue(self) -> "Certification":
        if self.expires_on <= self.issued_on:
            raise ValueError("expires_on must be after issued_on")
        return self


Certifications = Annotated[list[Certification], Field(max_length=20)]


class Leave(BaseModel):
    """A mentor's leave, first and last day included: no new mentee while it lasts, and their
    mentees are matched again when it starts."""

    model_config = ConfigDict(extra="forbid", from_attributes=True)

    starts_on: Day
    ends_on: Day

    @model_validator(mode="after")
    def _ends_after_start(self) -> "Leave":
        if self.ends_on < self.starts_on:
            raise ValueError("ends_on must not be before starts_on")
        return self


def _one_per_kind(value: list[Certification] | None) -> list[Certification] | None:
    if value is not None and len({c.kind for c in value}) != len(value):
        raise ValueError("each certification kind may appear once")
    return value


class MentorCreate(BaseModel):
    """A mentor joining the shared pool."""

    model_config = ConfigDict(extra="forbid", strict=True)

    mentor_id: RecordId | None = None
    display_name: str = Field(min_length=1, max_length=200)
    languages: list[LanguageCode] = Field(min_length=1, max_length=20)
    branches: list[Code] = Field(min_length=1, max_length=50)
    lived_experience: list[Label] = Field(default_factory=list, max_length=20)
    capacity: int = Field(ge=0, le=50)
    certifications: Certifications = Field(default_factory=list)
    status: MentorStatus = "active"
    gender: Gender | None = None
    age_band: AgeBand | None = None
    remote_ok: bool = Field(default=False, description="offers remote support at any branch")
    interests: list[Label] = Field(default_factory=list, max_length=20)
    supervisor_id: RecordId | None = None
    leave: Leave | None = Field(default=None, description="a dated leave, applied on its own")

    _unique_kinds = field_validator("certifications")(_one_per_kind)


class MentorUpdate(BaseModel):
    """Fields of a mentor that can change; omitted fields stay as they are."""

    model_config = ConfigDict(extra="forbid", strict=True)

    display_name: str | None = Field(default=None, min_length=1, max_length=200)
    languages: list[LanguageCode] | None = Field(default=None, min_length=1, max_length=20)
    branches: list[Code] | None = Field(default=None, min_length=1, max_length=50)
    lived_experience: list[Label] | None = Field(default=None, max_length=20)
    capacity: int | None = Field(default=None, ge=0, le=50)
    certifications: Certifications | None = Field(
        default=None, description="the whole list; it replaces the one held"
    )
    status: MentorStatus | None = None
    gender: Gender | None = None
    age_band: AgeBand | None = None
    remote_ok: bool | None = None
    interests: list[Label] | None = Field(default=None, max_length=20)
    supervisor_id: RecordId | None = None
    leave: Leave | None = Field(
        default=None, description="a dated leave (it replaces the one held; null removes it)"
    )

    _unique_kinds = field_validator("certifications")(_one_per_kind)


class MentorView(BaseModel):
    """A mentor as the pool shows it."""

    mentor_id: str
    display_name: str
    languages: list[str]
    branches: list[str]
    lived_experience: list[str]
    capacity: int
    active_mentees: int
    certifications: list[Certification]
    certified_until: date | None
    status: str
    gender: str | None
    age_band: str | None
    remote_ok: bool
    interests: list[str]
    supervisor_id: str | None
    leave: Leave | None
    on_leave_today: bool = Field(description="the status is on_leave or a dated leave covers today")
    patient_linked: bool = Field(
        description="linked to their own patient record (by a coordinator in intake, or as a "
        "nominated alumnus): never matched to themselves, no mentees while admitted"
    )
    version: int


class CertificationNoticeView(BaseModel):
    """A core certification a supervisor must act on."""

    model_config = ConfigDict(from_attributes=True)

    mentor_id: str
    kind: str
    expires_on: date | None
    state: Literal["missing", "expired", "expires_soon"]


class SupervisionView(BaseModel):
    """A supervisor's load against the configured maximum."""

    model_config = ConfigDict(from_attributes=True)

    supervisor_id: str
    mentors: int
    limit: int
    over_limit: bool
