"""FHIR use cases: an Encounter (with its Patient) becomes the same commands as HL7."""

from sqlalchemy.ext.asyncio import AsyncSession

from intake.commands import EhrMessage, Identifier, PatientDetails, Visit
from intake.ehr_handlers import apply_ehr_message
from intake.fhir import mapping
from intake.handlers import find_visit
from intake.identity import find_patient, identifiers_of, resolve_patient
from intake.models import Episode, Patient
from shared.errors import Invalid, NotFound


async def patient_by_ref(session: AsyncSession, patient_ref: str) -> PatientDetails:
    """A patient named as `Patient/<patient_ref>`, as details for a command."""
    if await session.get(Patient, patient_ref) is None:
        raise NotFound(f"no patient {patient_ref!r}")
    held = await identifiers_of(session, patient_ref)
    return PatientDetails(identifiers=tuple(Identifier(i.system, i.value) for i in held))


async def register_patient(session: AsyncSession, details: PatientDetails) -> tuple[str, bool]:
    """A bundle's Patient entry into the vault; its patient_ref and whether it is new."""
    known = await find_patient(session, details.identifiers)
    patient = await resolve_patient(session, details)
    return patient.patient_ref, known is None


async def apply_encounter(
    session: AsyncSession,
    patient: PatientDetails,
    visit: Visit,
    status: str | None,
    branches: list[str],
    default_language: str,
) -> tuple[Episode, bool]:
    """Apply an Encounter's status to its visit; return the episode row and whether it is new."""
    row = await find_visit(session, visit.authority, visit.number)
    moved = row is not None and (row.branch, row.ward) != (visit.branch, visit.ward)
    action = mapping.action(status, row.status if row else None, moved)
    await apply_ehr_message(session, EhrMessage(action, patient, visit), branches, default_language)
    after = await find_visit(session, visit.authority, visit.number)
    if after is None:
        raise Invalid("the Encounter could not be applied to a visit")
    return after, row is None
