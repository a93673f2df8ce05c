"""The identity vault: find a patient by any identifier, register or update them, merge two;
which patient a caller reaches."""

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from intake.identity import lookups
from intake.identity.domain import Identifier, PatientDetails, new_patient_ref
from intake.identity.models import Patient, PatientIdentifier
from intake.reach import REACH
from shared.access import Access, reaches_patient
from shared.contracts.envelope import utcnow
from shared.errors import Invalid, NotFound

_DEMOGRAPHICS = ("family_name", "given_name", "birth_date", "sex", "phone", "language")


async def _owners(
    session: AsyncSession, identifiers: tuple[Identifier, ...]
) -> dict[Identifier, str]:
    """Which patient holds each of `identifiers` (absent: nobody yet)."""
    cache = lookups.cached(session)
    if cache is not None and cache.identifiers.issuperset(identifiers):
        return {i: cache.owners[i] for i in identifiers if i in cache.owners}
    return await lookups.query_owners(session, identifiers)


async def _first_owner(
    session: AsyncSession, identifiers: tuple[Identifier, ...], owners: dict[Identifier, str]
) -> Patient | None:
    for identifier in identifiers:
        if identifier in owners:
            return await session.get(Patient, owners[identifier])
    return None


async def find_patient(
    session: AsyncSession, identifiers: tuple[Identifier, ...]
) -> Patient | None:
    """The patient holding any of `identifiers`; the first identifier that matches decides."""
    return await _first_owner(session, identifiers, await _owners(session, identifiers))


async def add_identifiers(
    session: AsyncSession, patient_ref: str, identifiers: tuple[Identifier, ...]
) -> None:
    """Record identifiers nobody holds yet (one held by another patient stays theirs: only a
    merge moves identifiers between patients)."""
    _add_unowned(session, patient_ref, identifiers, await _owners(session, identifiers))


async def resolve_patient(session: AsyncSession, details: PatientDetails) -> tuple[Patient, bool]:
    """The patient these details describe, and whether they are new: found by identifier (and
    updated with what is new) or registered with a fresh `patient_ref`."""
    if not details.identifiers:
        raise Invalid("the patient has no identifier (an MRN, enterprise id or ABHA number)")
    owners = await _owners(session, details.identifiers)
    patient = await _first_owner(session, details.identifiers, owners)
    created = patient is None
    if patient is None:
        patient = Patient(patient_ref=new_patient_ref(), given_name="", family_name="")
        session.add(patient)
    update_demographics(patient, details)
    _add_unowned(session, patient.patient_ref, details.identifiers, owners)
    return patient, created


def _add_unowned(
    session: AsyncSession,
    patient_ref: str,
    identifiers: tuple[Identifier, ...],
    owners: dict[Identifier, str],
) -> None:
    for identifier in dict.fromkeys(identifiers):
        if identifier not in owners:
            session.add(PatientIdentifier(patient_ref=patient_ref, **vars(identifier)))
            lookups.remember_owner(session, identifier, patient_ref)


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


async def move_identity(session: AsyncSession, source: Patient, target: Patient) -> None:
    """Move `source`'s identifiers to `target` and mark `source` merged."""
    lookups.forget(session)
    await session.execute(
        update(PatientIdentifier)
        .where(col(PatientIdentifier.patient_ref) == source.patient_ref)
        .values(patient_ref=target.patient_ref)
    )
    source.merged_into = target.patient_ref
    source.updated_at = utcnow()


async def identifiers_of(session: AsyncSession, patient_ref: str) -> tuple[Identifier, ...]:
    """Every identifier the patient holds, by authority, type and value."""
    key = (
        col(PatientIdentifier.authority),
        col(PatientIdentifier.type),
        col(PatientIdentifier.value),
    )
    rows = await session.execute(
        select(*key).where(col(PatientIdentifier.patient_ref) == patient_ref).order_by(*key)
    )
    return tuple(Identifier(authority, kind, value) for authority, kind, value in rows)


async def reachable_patient(session: AsyncSession, access: Access, patient_ref: str) -> Patient:
    """The patient when the caller reaches them (a stay at their branch), else 404."""
    patient = await session.get(Patient, patient_ref)
    if patient is None or not await reaches_patient(session, access, REACH, patient_ref):
        raise NotFound(f"no patient {patient_ref!r}")
    return patient
