"""Intake HTTP request and response bodies."""

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from intake.commands import Identifier, PatientDetails
from shared.contracts.intake import EpisodeState
from shared.fields import Code, Day, LanguageCode, Moment


class Request(BaseModel):
    """Requests reject unknown fields, so typos do not pass silently."""

    model_config = ConfigDict(extra="forbid", strict=True)


class ConsentRequest(Request):
    """A patient's answer about peer support, recorded by staff with them."""

    status: Literal["given", "declined", "withdrawn"]
    text_version: str = Field(min_length=1, max_length=32)
    text_language: LanguageCode
    recorded_by: str = Field(min_length=1, max_length=200)


class AdmissionRequest(Request):
    """An admission as an EHR or a coordinator reports it."""

    mrn: Code = Field(description="Medical record number, shared by every branch of the network")
    abha: Code | None = Field(default=None, description="ABHA number (India's health ID)")
    given_name: str = Field(min_length=1, max_length=200)
    family_name: str = Field(min_length=1, max_length=200)
    birth_date: Day | None = None
    sex: Literal["F", "M", "O", "U"] | None = None
    phone: str | None = Field(default=None, max_length=64)
    branch: Code
    ward: Code
    visit_number: Code
    language: LanguageCode
    admitted_at: Moment | None = None
    consent: ConsentRequest | None = Field(
        default=None, description="Peer-support answer taken at admission, for this stay"
    )

    def patient_details(self) -> PatientDetails:
        """The identity part of the request, for the vault."""
        identifiers = [Identifier("mrn", self.mrn)]
        if self.abha:
            identifiers.append(Identifier("abha", self.abha))
        return PatientDetails(
            identifiers=tuple(identifiers),
            family_name=self.family_name,
            given_name=self.given_name,
            birth_date=self.birth_date,
            sex=self.sex,
            phone=self.phone,
            language=self.language,
        )


class AdmissionBatch(Request):
    """Admissions applied together in one transaction (backfill, EHR batch files)."""

    admissions: list[AdmissionRequest] = Field(min_length=1, max_length=500)


class DischargeRequest(Request):
    """Discharge details."""

    discharged_at: Moment | None = None
    disposition: str | None = Field(default=None, max_length=64)


class TransferRequest(Request):
    """New location of an admitted patient."""

    branch: Code
    ward: Code


class AdmissionResponse(BaseModel):
    """Result of an admission: the pseudonymous references and whether it was new."""

    episode: EpisodeState
    created: bool


class ConsentText(BaseModel):
    """A consent text staff can show, by version and language."""

    version: str
    language: str
    title: str


class ConsentView(BaseModel):
    """A patient's answer about peer support for one stay; `carried_over_from` names the earlier
    stay a readmission's consent was carried over from."""

    episode_id: str
    patient_ref: str
    status: str
    text_version: str
    text_language: str
    recorded_by: str
    recorded_at: datetime
    carried_over_from: str | None
    version: int


class IdentifierView(BaseModel):
    """One identifier of a patient."""

    system: str
    value: str


class PatientView(BaseModel):
    """A patient's identity as the vault holds it (intake only; never in events)."""

    patient_ref: str
    family_name: str
    given_name: str
    birth_date: date | None
    sex: str | None
    phone: str | None
    language: str | None
    merged_into: str | None
    erased_at: datetime | None = None
    identifiers: list[IdentifierView]
