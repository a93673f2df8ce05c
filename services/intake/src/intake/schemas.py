"""Intake HTTP request and response bodies."""

from datetime import date, datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from shared.contracts.intake import EpisodeState
from shared.fields import Code, LanguageCode


class Request(BaseModel):
    """Requests reject unknown fields, so typos do not pass silently."""

    model_config = ConfigDict(extra="forbid")


class ConsentRequest(Request):
    """A consent decision recorded by staff with the patient."""

    status: Literal["given", "withdrawn"]
    text_version: str = Field(min_length=1, max_length=32)
    text_language: LanguageCode
    recorded_by: str = Field(min_length=1, max_length=200)


class AdmissionRequest(Request):
    """An admission as an EHR or a coordinator reports it."""

    mrn: Code
    given_name: str = Field(min_length=1, max_length=200)
    family_name: str = Field(min_length=1, max_length=200)
    birth_date: date | None = None
    branch: Code
    ward: Code
    visit_number: Code
    language: LanguageCode
    admitted_at: AwareDatetime | None = None
    consent: ConsentRequest | None = Field(
        default=None, description="Peer-support consent taken at admission, if any"
    )


class AdmissionBatch(Request):
    """Admissions applied together in one transaction (backfill, EHR batch files)."""

    admissions: list[AdmissionRequest] = Field(min_length=1, max_length=500)


class DischargeRequest(Request):
    """Discharge details."""

    discharged_at: AwareDatetime | None = None
    disposition: str | None = Field(default=None, max_length=64)


class TransferRequest(Request):
    """New location of an admitted patient."""

    branch: Code
    ward: Code


class AdmissionResponse(BaseModel):
    """Result of an admission: the pseudonymous references and whether it was new."""

    episode: EpisodeState
    created: bool


class ConsentView(BaseModel):
    """The current consent of a patient."""

    patient_ref: str
    status: str
    text_version: str
    text_language: str
    recorded_by: str
    recorded_at: datetime
    version: int
