"""What the network replay is made of: people, stays, mentors, the steps sent, the truth."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

Vendor = Literal["v1", "v2", "rest"]
Decision = Literal["given", "declined", "withdrawn"]
StepKind = Literal[
    "hl7",
    "rest_admit",
    "rest_discharge",
    "rest_cancel",
    "rest_transfer",
    "consent",
    "preferences",
    "leave_start",
    "leave_end",
    "certificate_lapse",
]


@dataclass
class Record:
    """One registration of a person in an EHR (a duplicate registration is another record)."""

    mrn: str
    mrn_authority: str  # the facility that issued the MRN (PID-3.4)
    enterprise_id: str | None = None  # vendor 1's network-wide id


@dataclass
class Person:
    """A fictional patient (or an alumnus mentor's own identity); `key` is pseudonymous."""

    key: str
    given: str
    family: str
    given_bn: str
    family_bn: str
    birth_date: date
    sex: Literal["F", "M"]
    language: str
    abha: str | None  # 14 digits; each vendor spells it its own way
    records: dict[str, Record] = field(default_factory=dict)  # by vendor
    mentor_gender: str | None = None  # what they ask for in a mentor
    mentor_id: str | None = None  # an alumnus who mentors


@dataclass
class Stay:
    """One admission as the story has it, and how it should end."""

    key: str
    person: str
    vendor: Vendor
    branch: str
    ward: str
    visit: str
    admitted_at: datetime  # unique across the replay: it finds the episode afterwards
    record: str = ""  # which of the person's records the EHR used ("v1", "v1-dup", …)
    status: Literal["admitted", "discharged", "cancelled"] = "admitted"
    consent: list[tuple[datetime, Decision]] = field(default_factory=list)

    @property
    def final_consent(self) -> Decision | None:
        """This stay's last consent answer (None: nobody asked yet)."""
        return self.consent[-1][1] if self.consent else None

    @property
    def supported(self) -> bool:
        """Whether the stay should end the replay with a mentor (or waiting for one)."""
        return self.status == "admitted" and self.final_consent == "given"


@dataclass
class Mentor:
    """A mentor of the shared pool."""

    mentor_id: str
    branches: list[str]
    languages: list[str]
    gender: str
    capacity: int
    lived_experience: list[str]
    person: str | None = None  # the alumnus's own patient identity


@dataclass
class Step:
    """One thing sent at a simulated moment: an HL7 message or a REST call."""

    at: datetime
    kind: StepKind
    stay: str | None = None
    person: str | None = None
    mentor: str | None = None
    hl7: bytes = b""
    trigger: str = ""
    body: dict[str, object] = field(default_factory=dict)


@dataclass
class Merge:
    """An A40: the duplicate record was folded into the person's surviving record."""

    person: str
    at: datetime


@dataclass
class Scenario:
    """Everything a seed produces: the steps in time order and the truth they must lead to."""

    seed: int
    start: datetime
    end: datetime
    people: dict[str, Person]
    stays: dict[str, Stay]
    mentors: dict[str, Mentor]
    merges: list[Merge]
    steps: list[Step]

    def stays_of(self, person: str) -> list[Stay]:
        """A person's stays, in admission order."""
        return sorted(
            (s for s in self.stays.values() if s.person == person), key=lambda s: s.admitted_at
        )

    @property
    def hl7_messages(self) -> int:
        """How many HL7 messages the replay sends."""
        return sum(1 for step in self.steps if step.kind == "hl7")
