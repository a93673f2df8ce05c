"""EHR HTTP request and response bodies: admissions, discharges, transfers, episodes."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from intake.consent.schemas import ConsentRequest
from intake.identity import domain as identity
from intake.identity.domain import PatientDetails
from intake.identity.schemas import AbhaText, BirthDate
from shared.contracts.intake import EpisodeState
from shared.fields import Code, LanguageCode, Moment


class Request(BaseModel):
    """Requests reject unknown fields, so typos do not pass silently."""

    model_config = ConfigDict(extra="forbid", strict=True)


class AdmissionRequest(Request):
    """An admission as an EHR or a coordinator reports it."""

    mrn: Code = Field(description="Medical record number, as its authority issued it")
    mrn_authority: Code | None = Field(
        default=None,
        description="Who issued the MRN (a hospital's or the network's code, compared without "
        "case); default: the admitting branch",
    )
    abha: AbhaText | None = Field(default=None, description="ABHA number or ABHA address")
    given_name: str = Field(min_length=1, max_length=200)
    family_name: str = Field(min_length=1, max_length=200)
    birth_date: BirthDate | None = None
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
        authority = self.mrn_authority or self.branch
        held = [identity.make(authority, identity.MEDICAL_RECORD, self.mrn)]
        if self.abha:
            held.append(identity.abha(self.abha))
        return PatientDetails(
            identifiers=tuple(held),
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


class EpisodeView(EpisodeState):
    """An episode as intake's API shows it: its state and the visit number the EHR knows it by
    (intake only; never in events)."""

    visit_authority: str
    visit_number: str


class AdmissionResponse(BaseModel):
    """Result of an admission: the pseudonymous references and whether it was new."""

    episode: EpisodeState
    created: bool
