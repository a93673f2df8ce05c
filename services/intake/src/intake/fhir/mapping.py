"""FHIR R4 Patient and Encounter → intake commands (the table is in the README, "FHIR R4")."""

from datetime import UTC, date, datetime
from typing import Any

from fhir.resources.R4B.encounter import Encounter
from fhir.resources.R4B.identifier import Identifier as FhirIdentifier
from fhir.resources.R4B.patient import Patient

from intake.ehr.domain import EhrAction, Visit
from intake.identity import domain as identity
from intake.identity.domain import Identifier, PatientDetails
from shared.contracts.envelope import utcnow
from shared.errors import Invalid

ABHA_SYSTEMS = ("https://healthid.ndhm.gov.in", "https://healthid.abdm.gov.in")
MRN_SYSTEM = "urn:saathi:mrn"  # an MRN; `urn:saathi:mrn:<authority>` names who issued it
AUTHORITY_SYSTEM = "urn:saathi:authority:"  # + an HL7 CX-4 code: the same authority as in HL7
GENDERS = {"female": "F", "male": "M", "other": "O", "unknown": "U"}
SUPPORTED_STATUSES = ("in-progress", "finished", "cancelled", "entered-in-error")


def identifier(item: FhirIdentifier, default_authority: str | None = None) -> Identifier:
    """A FHIR identifier keyed as intake keys them: `system` is the assigning authority and
    `type` (v2-0203 code, default MR) the type. An MRN under plain `urn:saathi:mrn` was issued
    by `default_authority` (the admitting branch), when there is one."""
    if not item.value:
        raise Invalid("an identifier has no value")
    system = (item.system or "").rstrip("/")
    if system in ABHA_SYSTEMS:
        return identity.abha(item.value)
    if system == MRN_SYSTEM or system.startswith(f"{MRN_SYSTEM}:"):
        authority = system.removeprefix(MRN_SYSTEM).removeprefix(":") or default_authority
        if not authority:
            raise Invalid(
                f"an MRN under {MRN_SYSTEM} needs its authority here: "
                f"use {MRN_SYSTEM}:<authority>, or name the Patient from an Encounter"
            )
        return identity.make(authority, identity.MEDICAL_RECORD, item.value)
    if not system:
        raise Invalid("an identifier has no system (its assigning authority)")
    return identity.make(system.removeprefix(AUTHORITY_SYSTEM), _type_code(item), item.value)


def _type_code(item: FhirIdentifier) -> str:
    codings = (item.type.coding or []) if item.type else []
    return next((coding.code for coding in codings if coding.code), "")


def _birth_date(value: date | str | None) -> date | None:
    """A calendar date as sent (a year or year-month is its first day); never in the future."""
    if value is None:
        return None
    if isinstance(value, str):
        year, _, month = value.partition("-")
        value = date(int(year), int(month or 1), 1)
    identity.check_birth_date(value, identity.latest_today(utcnow()))
    return value


def patient_details(patient: Patient, default_authority: str | None = None) -> PatientDetails:
    """Identity from a Patient resource (`default_authority`: see `identifier`)."""
    found = tuple(identifier(item, default_authority) for item in patient.identifier or [])
    if not found:
        raise Invalid("Patient.identifier is required (an MRN, enterprise id or ABHA number)")
    name = patient.name[0] if patient.name else None
    phone = next((t.value for t in patient.telecom or [] if t.system == "phone" and t.value), None)
    language = None
    for communication in patient.communication or []:
        for coding in communication.language.coding or []:
            if coding.code:
                language = coding.code.split("-")[0].lower()[:16]
                break
        if language:
            break
    return PatientDetails(
        identifiers=found,
        family_name=((name.family if name else None) or "")[:200],
        given_name=" ".join(part for part in name.given or [] if part)[:200] if name else "",
        birth_date=_birth_date(patient.birthDate),
        sex=GENDERS.get(patient.gender or ""),
        phone=phone[:64] if phone else None,
        language=language,
    )


def _utc(moment: Any) -> datetime | None:
    if moment is None:
        return None
    if not isinstance(moment, datetime) or moment.tzinfo is None:
        raise Invalid("Encounter.period needs dates with a time and a time zone offset")
    return moment.astimezone(UTC)


def _reference_id(reference: Any, kind: str) -> str | None:
    """`Organization/kol-behala` → `kol-behala` (None when not a reference of that kind)."""
    text = getattr(reference, "reference", None) or ""
    prefix = f"{kind}/"
    return text[len(prefix) :] if text.startswith(prefix) else None


def branch_of(encounter: Encounter) -> str | None:
    """The branch an Encounter is at: `serviceProvider` as `Organization/<branch>` or an
    identifier whose value is the branch."""
    provider = encounter.serviceProvider
    return _reference_id(provider, "Organization") or (
        provider.identifier.value if provider and provider.identifier else None
    )


def visit(encounter: Encounter) -> Visit:
    """The stay an Encounter describes: identifier, branch (serviceProvider), ward, times."""
    if not encounter.identifier:
        raise Invalid("Encounter.identifier (the visit number) is required")
    first = encounter.identifier[0]
    if not first.value:
        raise Invalid("Encounter.identifier has no value")
    branch = branch_of(encounter)
    if not branch:
        raise Invalid("Encounter.serviceProvider must name the branch (Organization/<branch>)")
    ward = "unassigned"
    if encounter.location:
        place = encounter.location[0].location
        ward = (place.display or (place.identifier.value if place.identifier else None) or ward)[
            :64
        ]
    period = encounter.period
    disposition = None
    if encounter.hospitalization and encounter.hospitalization.dischargeDisposition:
        codings = encounter.hospitalization.dischargeDisposition.coding or []
        disposition = (codings[0].code if codings else None) or None
    return Visit(
        authority=(first.system or branch)[:64],
        number=first.value[:64],
        branch=branch,
        ward=ward,
        admitted_at=_utc(period.start) if period else None,
        discharged_at=_utc(period.end) if period else None,
        disposition=disposition[:64] if disposition else None,
    )


def action(status: str | None, current: str | None, moved: bool) -> EhrAction:
    """The command an Encounter status means, given what intake already has for the visit.

    in-progress: admit, or transfer when its location changed, or undo a discharge;
    finished: discharge; cancelled or entered-in-error: cancel the admission.
    """
    if status == "finished":
        return "discharge"
    if status in ("cancelled", "entered-in-error"):
        return "cancel_admission"
    if status == "in-progress":
        if current == "discharged":
            return "cancel_discharge"
        return "transfer" if current == "admitted" and moved else "admit"
    raise Invalid(
        f"Encounter.status {status!r} is not taken; supported: {', '.join(SUPPORTED_STATUSES)}"
    )
