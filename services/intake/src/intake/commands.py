"""What an EHR tells intake, whatever the channel (HL7 v2, FHIR R4, REST): one shape for all."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

EhrAction = Literal[
    "admit",  # HL7 A01, A04; FHIR Encounter in-progress
    "transfer",  # A02
    "discharge",  # A03; FHIR finished
    "update",  # A08: demographics only, never a change of status or place
    "cancel_admission",  # A11; FHIR cancelled / entered-in-error
    "cancel_discharge",  # A13
    "merge",  # A40
]


@dataclass(frozen=True)
class Identifier:
    """A patient identifier, keyed by who assigned it, its type and its value, in the canonical
    form `intake.identifiers` gives it (e.g. `KOL-SL`/`MR`/`12345`, `ABDM`/`ABHA`/14 digits)."""

    authority: str
    type: str
    value: str


@dataclass(frozen=True)
class PatientDetails:
    """Identity as the EHR sent it; only intake ever stores it."""

    identifiers: tuple[Identifier, ...]
    family_name: str = ""
    given_name: str = ""
    birth_date: date | None = None
    sex: str | None = None
    phone: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class Visit:
    """The stay as the EHR sees it: who numbered it, the number, where and when."""

    authority: str
    number: str
    branch: str
    ward: str
    admitted_at: datetime | None = None
    discharged_at: datetime | None = None
    disposition: str | None = None


@dataclass(frozen=True)
class EhrMessage:
    """One EHR notification, mapped from its wire format."""

    action: EhrAction
    patient: PatientDetails
    visit: Visit | None = None
    merge_from: tuple[Identifier, ...] = field(default=())
    recorded_at: datetime | None = None
