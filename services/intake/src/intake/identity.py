"""The identity vault: find a patient by any identifier, register or update them, merge two."""

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from intake import domain
from intake.commands import Identifier, PatientDetails
from intake.models import Consent, Patient, PatientIdentifier
from shared.contracts.envelope import utcnow
from shared.errors import Invalid

_DEMOGRAPHICS = ("family_name", "given_name", "birth_date", "sex", "phone", "language")


def _any_of(identifiers: tuple[Identifier, ...]) -> ColumnElement[bool]:
    return or_(
        *(
            and_(
                col(PatientIdentifier.system) == identifier.system,
                col(PatientIdentifier.value) == identifier.value,
            )
            for identifier in identifiers
        )
    )


async def find_patient(
    session: AsyncSession, identifiers: tuple[Identifier, ...]
) -> Patient | None:
    """The patient holding any of `identifiers`; the first identifier that matches decides."""
    if not identifiers:
        return None
    rows = await session.execute(
        select(
            col(PatientIdentifier.system),
            col(PatientIdentifier.value),
            col(PatientIdentifier.patient_ref),
        ).where(_any_of(identifiers))
    )
    owners = {(system, value): ref for system, value, ref in rows}
    for identifier in identifiers:
        ref = owners.get((identifier.system, identifier.value))
        if ref is not None:
            return await session.get(Patient, ref)
    return None


async def add_identifiers(
    session: AsyncSession, patient_ref: str, identifiers: tuple[Identifier, ...]
) -> None:
    """Record identifiers nobody holds yet (one held by another patient stays theirs: only a
    merge moves identifiers between patients)."""
    held = await session.execute(
        select(col(PatientIdentifier.system), col(PatientIdentifier.value)).where(
            _any_of(identifiers)
        )
    )
    taken = {(system, value) for system, value in held}
    for identifier in dict.fromkeys(identifiers):
        if (identifier.system, identifier.value) not in taken:
            session.add(PatientIdentifier(patient_ref=patient_ref, **vars(identifier)))


async def resolve_patient(session: AsyncSession, details: PatientDetails) -> Patient:
    """The patient these details describe: found by identifier (and updated with what is new)
    or registered with a fresh `patient_ref`."""
    if not details.identifiers:
        raise Invalid("the patient has no identifier (MRN or ABHA number)")
    patient = await find_patient(session, details.identifiers)
    if patient is None:
        patient = Patient(patient_ref=domain.new_patient_ref(), given_name="", family_name="")
        session.add(patient)
        await session.flush()
    update_demographics(patient, details)
    await add_identifiers(session, patient.patient_ref, details.identifiers)
    return patient


def update_demographics(patient: Patient, details: PatientDetails) -> None:
    """Take every demographic the message carries; absent ones keep their stored value."""
    changed = False
    for name in _DEMOGRAPHICS:
        value = getattr(details, name)
        if value not in (None, "") and getattr(patient, name) != value:
            setattr(patient, name, value)
            changed = True
    if changed:
        patient.updated_at = utcnow()


async def move_identity(session: AsyncSession, source: Patient, target: Patient) -> Consent | None:
    """Move `source`'s identifiers to `target` and mark `source` merged; return the consent
    `target` inherits (when it had none), else None."""
    await session.execute(
        update(PatientIdentifier)
        .where(col(PatientIdentifier.patient_ref) == source.patient_ref)
        .values(patient_ref=target.patient_ref)
    )
    source.merged_into = target.patient_ref
    source.updated_at = utcnow()
    inherited = None
    source_consent = await session.get(Consent, source.patient_ref)
    if source_consent is not None and await session.get(Consent, target.patient_ref) is None:
        inherited = Consent(
            patient_ref=target.patient_ref,
            status=source_consent.status,
            text_version=source_consent.text_version,
            text_language=source_consent.text_language,
            recorded_by=source_consent.recorded_by,
            recorded_at=source_consent.recorded_at,
            version=1,
        )
    if source_consent is not None:
        await session.delete(source_consent)
        await session.flush()
    return inherited


async def identifiers_of(session: AsyncSession, patient_ref: str) -> list[PatientIdentifier]:
    """Every identifier the patient holds, by system."""
    rows = await session.scalars(
        select(PatientIdentifier)
        .where(col(PatientIdentifier.patient_ref) == patient_ref)
        .order_by(col(PatientIdentifier.system), col(PatientIdentifier.value))
    )
    return list(rows)
