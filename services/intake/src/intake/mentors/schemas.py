"""HTTP bodies of the mentor ↔ patient link (the answer never names the patient)."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from intake.identity import domain as identity
from intake.identity.domain import Identifier
from shared.errors import Invalid
from shared.fields import Code


class PatientLinkRequest(BaseModel):
    """The mentor's identifiers as the hospital knows them (the same fields as an admission)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    mrn: Code | None = Field(default=None, description="the mentor's medical record number")
    mrn_authority: Code | None = Field(
        default=None, description="who issued the MRN (a branch's or the network's code)"
    )
    abha: Code | None = Field(default=None, description="the mentor's ABHA number or address")

    @model_validator(mode="after")
    def _one_identifier_at_least(self) -> "PatientLinkRequest":
        if self.mrn is None and self.abha is None:
            raise ValueError("give the mentor's mrn or abha (or both)")
        if (self.mrn is None) != (self.mrn_authority is None):
            raise ValueError("give mrn_authority with mrn (the branch or authority that issued it)")
        try:
            self.identifiers()
        except Invalid as error:
            raise ValueError(error.reason) from None
        return self

    def identifiers(self) -> tuple[Identifier, ...]:
        """The identifiers to find the patient record by, keyed as an admission keys them."""
        found = []
        if self.mrn is not None and self.mrn_authority is not None:
            found.append(identity.make(self.mrn_authority, identity.MEDICAL_RECORD, self.mrn))
        if self.abha is not None:
            found.append(identity.abha(self.abha))
        return tuple(found)


class PatientLinkView(BaseModel):
    """Whether a mentor is linked to a patient record (which one is not shown: no oracle)."""

    model_config = ConfigDict(from_attributes=True)

    mentor_id: str
    status: Literal["linked", "unlinked"]
    changed_by: str
    changed_at: datetime
    version: int
