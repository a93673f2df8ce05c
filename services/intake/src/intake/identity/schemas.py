"""Identity vault HTTP bodies: a patient as the vault shows them, and the identity fields
other requests share (ABHA, birth date)."""

from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, WithJsonSchema

from intake.identity import domain
from shared.contracts.envelope import utcnow
from shared.errors import Invalid
from shared.fields import Day


def _abha(text: str) -> str:
    try:
        return domain.abha(text).value
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
            "pattern": domain.ABHA_PATTERN,
            "description": "ABHA number: 14 digits, hyphens and spaces allowed "
            "(91-4443-4293-4402); or an ABHA address (name@abdm)",
        }
    ),
]
BirthDate = Annotated[Day, AfterValidator(_born)]


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
