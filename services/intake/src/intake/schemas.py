"""Intake HTTP request and response bodies."""

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema

from intake import domain, identifiers
from intake.commands import PatientDetails
from shared.contracts.envelope import utcnow
from shared.contracts.intake import EpisodeState
from shared.errors import Invalid
from shared.fields import Code, Day, LanguageCode, Moment


def _abha(text: str) -> str:
    try:
        return identifiers.abha(text).value
    except Invalid as error:
        raise ValueError(error.reason) from None


def _born(born: date) -> date:
    try:
        domain.check_birth_date(born, domain.latest_today(utcnow()))
    except Invalid as error:
        raise ValueError(error.reason) from None
    return born


AbhaText = Annotated[
    str,
    AfterValidator(_abha),
    WithJsonSchema(
        {
            "type": "string",
            "maxLength": 64,
            "pattern": identifiers.ABHA_PATTERN,
            "description": "ABHA number: 14 digits, hyphens and spaces allowed "
            "(91-4443-4293-4402); or an ABHA address (name@abdm)",
        }
    ),
]


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

    mrn: Code = Field(description="Medical record number, as its authority issued it")
    mrn_authority: Code | None = Field(
        default=None,
        description="Who issued the MRN (a hospital's or the network's code, compared without "
        "case); default: the admitting branch",
    )
    abha: AbhaText | None = Field(default=None, description="ABHA number or ABHA address")
    given_name: str = Field(min_length=1, max_length=200)
    family_name: str = Field(min_length=1, max_length=200)
    birth_date: Annotated[Day, AfterValidator(_born)] | None = None
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
        held = [identifiers.make(authority, identifiers.MEDICAL_RECORD, self.mrn)]
        if self.abha:
            held.append(identifiers.abha(self.abha))
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
    """One identifier of a patient: who assigned it, its type, its canonical value (an ABHA
    number as 14 digits) and how people write it (`display`, e.g. 91-4443-4293-4402)."""

    authority: str
    type: str
    value: str
    display: str


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
