"""Peer-led group HTTP request and response bodies."""

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.fields import Code, Day, LanguageCode, LocalTime, RecordId

Setting = Literal["inpatient", "outpatient", "alumni"]
Focus = Literal[
    "depression",
    "anxiety",
    "bipolar",
    "schizophrenia",
    "substance_use",
    "general_recovery",
    "recreation",
]
# The same coarse values matching records; sessions keeps neither for a patient.
Gender = Literal["female", "male", "non_binary", "other"]
AgeBand = Literal["18-25", "26-35", "36-50", "51-65", "65+"]


class GroupRequest(BaseModel):
    """A new peer-led group: where, for whom, who facilitates, how big, when it meets."""

    model_config = ConfigDict(extra="forbid", strict=True)

    group_id: RecordId | None = Field(
        default=None, description="your own id (e.g. to load groups again); a random one if not"
    )
    title: str = Field(min_length=1, max_length=120, examples=["Wednesday mood circle"])
    branch: Code = Field(description="where it meets; for a network-wide group, who runs it")
    setting: Setting = "inpatient"
    focus: Focus | None = Field(default=None, description="one focus (or give `focuses`)")
    focuses: list[Focus] | None = Field(default=None, min_length=1, max_length=4)
    audience_gender: Gender | None = Field(default=None, description="e.g. women only: female")
    audience_age_bands: list[AgeBand] = Field(
        default_factory=list, max_length=5, description="the age bands it is for (none: any)"
    )
    online: bool = False
    network_wide: bool = Field(False, description="online, open to patients of every branch")
    language: LanguageCode
    capacity: int = Field(ge=1, le=50)
    weekday: int = Field(ge=0, le=6, description="0 = Monday, in the branch's local time")
    start_time: LocalTime
    minutes: int = Field(60, ge=15, le=240)
    starts_on: Day
    ends_on: Day | None = None
    facilitator_ids: list[RecordId] = Field(min_length=1, max_length=4)

    @model_validator(mode="after")
    def _consistent(self) -> "GroupRequest":
        if self.ends_on is not None and self.ends_on < self.starts_on:
            raise ValueError("ends_on must not be before starts_on")
        for name in ("facilitator_ids", "focuses", "audience_age_bands"):
            listed = getattr(self, name) or []
            if len(set(listed)) != len(listed):
                raise ValueError(f"{name} lists a value twice")
        if self.focuses is None:
            if self.focus is None:
                raise ValueError("give the group's focus (or focuses)")
            self.focuses = [self.focus]
        elif self.focus is not None and self.focus != self.focuses[0]:
            raise ValueError("focus, when given with focuses, is the first of them")
        self.focus = self.focuses[0]
        if self.network_wide and not self.online:
            raise ValueError("a network-wide group meets online (set online: true)")
        if self.setting == "outpatient" and (
            self.network_wide or self.audience_gender or self.audience_age_bands
        ):
            raise ValueError(
                "outpatient groups are filled by aftercare, which knows no audience and places "
                "patients by branch: they cannot be network-wide or for an audience"
            )
        return self


class GroupUpdate(BaseModel):
    """What may change in a group (its branch, setting, language, audience and reach stay;
    start a new group for another)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    title: str | None = Field(default=None, min_length=1, max_length=120)
    focuses: list[Focus] | None = Field(
        default=None, min_length=1, max_length=4, description="the first is its main focus"
    )
    capacity: int | None = Field(default=None, ge=1, le=50)
    facilitator_ids: list[RecordId] | None = Field(default=None, min_length=1, max_length=4)
    ends_on: Day | None = None
    status: Literal["active", "closed"] | None = None


class GroupView(BaseModel):
    """A group with its places taken."""

    model_config = ConfigDict(from_attributes=True)

    group_id: str
    title: str
    branch: str
    setting: str
    focus: str
    focuses: list[str]
    audience_gender: str | None
    audience_age_bands: list[str]
    online: bool
    network_wide: bool
    language: str
    capacity: int
    enrolled: int
    weekday: int
    start_time: LocalTime
    minutes: int
    starts_on: date
    ends_on: date | None
    facilitator_ids: list[str]
    status: str
    version: int


class PatientAudience(BaseModel):
    """What a group for an audience needs to know of the patient, as the patient states it
    to their mentor or coordinator: checked, never stored."""

    model_config = ConfigDict(extra="forbid", strict=True)

    gender: Gender | None = None
    age_band: AgeBand | None = None


class EnrolRequest(PatientAudience):
    """A patient takes a place in a group (gender and age band only for a group for an
    audience)."""

    patient_ref: RecordId


class LeaveRequest(BaseModel):
    """Why a patient left a group."""

    model_config = ConfigDict(extra="forbid", strict=True)

    reason: str = Field(min_length=1, max_length=200)


class EnrolmentView(BaseModel):
    """A patient's place in a group."""

    model_config = ConfigDict(from_attributes=True)

    group_id: str
    patient_ref: str
    status: str
    enrolled_at: datetime
    left_at: datetime | None
    left_reason: str | None


class GroupMeetingView(BaseModel):
    """One meeting of a group."""

    model_config = ConfigDict(from_attributes=True)

    meeting_id: str
    group_id: str
    starts_at: datetime
    minutes: int
    facilitator_ids: list[str]
    substitute: bool
    status: str
    cancel_reason: str | None
    notice_hours: float | None
    held_at: datetime | None
    version: int


class AttendanceRequest(BaseModel):
    """Who came to a meeting (every other enrolled patient is recorded absent)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    attended: list[RecordId] = Field(max_length=50)


class AttendanceView(BaseModel):
    """Whether one enrolled patient came."""

    model_config = ConfigDict(from_attributes=True)

    patient_ref: str
    attended: bool


class HeldGroupMeetingView(GroupMeetingView):
    """A meeting once held, with attendance."""

    attendance: list[AttendanceView]


class OfferView(BaseModel):
    """A group offered to a matched patient, and the match it comes with."""

    match_id: str
    group: GroupView
