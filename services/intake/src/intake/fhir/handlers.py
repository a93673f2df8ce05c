"""FHIR use cases: an Encounter (with its Patient) becomes the same commands as HL7."""

from collections.abc import Iterable
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.encounter import Encounter
from fhir.resources.R4B.patient import Patient as FhirPatient
from sqlalchemy.ext.asyncio import AsyncSession

from intake.ehr.domain import EhrMessage, EhrOptions, Visit
from intake.ehr.handlers import find_visit
from intake.ehr.message_handlers import apply_ehr_message
from intake.ehr.models import Episode
from intake.fhir import mapping
from intake.identity.domain import PatientDetails
from intake.identity.handlers import identifiers_of, resolve_patient
from intake.identity.models import Patient
from shared.access import BRANCH_ROLES, Access
from shared.errors import DomainError, Forbidden, Invalid, NotFound


async def patient_by_ref(session: AsyncSession, patient_ref: str) -> PatientDetails:
    """A patient named as `Patient/<patient_ref>`, as details for a command."""
    if await session.get(Patient, patient_ref) is None:
        raise NotFound(f"no patient {patient_ref!r}")
    return PatientDetails(identifiers=await identifiers_of(session, patient_ref))


async def register_patient(session: AsyncSession, details: PatientDetails) -> tuple[str, bool]:
    """A bundle's Patient entry into the vault; its patient_ref and whether it is new."""
    patient, created = await resolve_patient(session, details)
    return patient.patient_ref, created


async def apply_encounter(
    session: AsyncSession,
    patient: PatientDetails,
    visit: Visit,
    status: str | None,
    options: EhrOptions,
) -> tuple[Episode, bool]:
    """Apply an Encounter's status to its visit; return the episode row and whether it is new."""
    row = await find_visit(session, visit.authority, visit.number)
    moved = row is not None and (row.branch, row.ward) != (visit.branch, visit.ward)
    action = mapping.action(status, row.status if row else None, moved)
    message = EhrMessage(action, patient, visit)
    await apply_ehr_message(session, message, options)
    after = await find_visit(session, visit.authority, visit.number)
    if after is None:
        raise Invalid("the Encounter could not be applied to a visit")
    return after, row is None


async def resolve_subject(
    session: AsyncSession, encounter: Encounter, bundled: dict[str, PatientDetails]
) -> PatientDetails:
    """The patient an Encounter names: a bundle entry, `Patient/<patient_ref>` or an identifier
    (an MRN without its authority is the Encounter's branch's)."""
    subject = encounter.subject
    if subject is None:
        raise Invalid("Encounter.subject (the patient) is required")
    reference = subject.reference or ""
    if reference in bundled:
        return bundled[reference]
    if reference.startswith("Patient/"):
        return await patient_by_ref(session, reference.removeprefix("Patient/"))
    if subject.identifier is not None:
        found = mapping.identifier(subject.identifier, mapping.branch_of(encounter))
        return PatientDetails(identifiers=(found,))
    raise Invalid("Encounter.subject must be Patient/<id>, a bundle entry or an identifier")


class EntryError(Exception):
    """A bundle entry that cannot apply: the domain error and which entry."""

    def __init__(self, error: DomainError, where: str) -> None:
        super().__init__(error.reason)
        self.error = error
        self.where = where


def check_branch_reach(access: Access, visit: Visit) -> None:
    """403 when a branch's feed or coordinator sends a visit at another branch."""
    if access.role in BRANCH_ROLES and not access.reaches_branch(visit.branch):
        raise Forbidden(f"this token may not act at branch {visit.branch!r}")


async def apply_bundle(
    session: AsyncSession, bundle: Bundle, options: EhrOptions, access: Access
) -> list[dict[str, Any]]:
    """Apply a transaction Bundle in the caller's transaction: Patients first (so Encounters
    can point at them by fullUrl), then Encounters; the response entries, in entry order."""
    bundled: dict[str, PatientDetails] = {}
    answers: dict[int, dict[str, Any]] = {}
    entries = list(enumerate(bundle.entry or []))
    if not entries:
        raise Invalid("the Bundle has no entries")
    admitted_at = _branches_of_subjects(entry.resource for _, entry in entries)
    for index, entry in entries:
        if not isinstance(entry.resource, FhirPatient):
            continue
        try:
            branch = admitted_at.get(entry.fullUrl or "")
            details = mapping.patient_details(entry.resource, branch)
            ref, created = await register_patient(session, details)
        except DomainError as error:
            raise EntryError(error, f"Bundle.entry[{index}]") from None
        if entry.fullUrl:
            bundled[entry.fullUrl] = details
        answers[index] = _entry_response(created, f"Patient/{ref}")
    for index, entry in entries:
        if index in answers:
            continue
        try:
            encounter = entry.resource
            if not isinstance(encounter, Encounter):
                kind = encounter.get_resource_type() if encounter is not None else None
                raise Invalid(f"Bundle entries must be Patient or Encounter, not {kind!r}")
            visit = mapping.visit(encounter)
            check_branch_reach(access, visit)
            patient = await resolve_subject(session, encounter, bundled)
            row, created = await apply_encounter(session, patient, visit, encounter.status, options)
        except DomainError as error:
            raise EntryError(error, f"Bundle.entry[{index}]") from None
        answers[index] = _entry_response(created, f"Encounter/{row.episode_id}")
    return [answers[index] for index, _ in entries]


def _branches_of_subjects(resources: Iterable[Any]) -> dict[str, str]:
    """The branch each bundled Patient is admitted at, by the fullUrl its Encounter names:
    the authority of an MRN the Patient sends without one."""
    found: dict[str, str] = {}
    for resource in resources:
        if isinstance(resource, Encounter) and resource.subject and resource.subject.reference:
            branch = mapping.branch_of(resource)
            if branch:
                found.setdefault(resource.subject.reference, branch)
    return found


def _entry_response(created: bool, location: str) -> dict[str, Any]:
    return {"response": {"status": "201 Created" if created else "200 OK", "location": location}}
