"""Erasure at the patient's request (DPDP Act 2023 s.12): the identity vault forgets who the
patient is, every stay's consent is withdrawn (so every kind of support stops), and the other
services are told to erase what they hold. The pseudonymous `patient_ref` stays, so the audit
trail keeps the fact of erasure."""

from datetime import datetime

from sqlalchemy import delete, literal, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from intake.consent import handlers as consent
from intake.ehr.handlers import latest_branch
from intake.ehr.models import Episode
from intake.identity.models import Patient, PatientIdentifier
from shared.contracts.intake import PatientErased, PatientErasureState
from shared.errors import Conflict, NotFound
from shared.outbox import stage

ERASED = "[erased]"


async def erase(session: AsyncSession, patient_ref: str, now: datetime) -> Patient:
    """Erase a patient's identity and announce it; 409 if already erased."""
    patient = await session.get(Patient, patient_ref, with_for_update=True)
    if patient is None:
        raise NotFound(f"no patient {patient_ref!r}")
    if patient.erased_at is not None:
        raise Conflict(f"patient {patient_ref!r} was erased at {patient.erased_at.isoformat()}")
    await consent.withdraw_everywhere(session, patient_ref, "erasure request")
    branch = await latest_branch(session, patient_ref)
    patient.given_name = patient.family_name = ERASED
    patient.birth_date = patient.sex = patient.phone = None
    patient.erased_at = patient.updated_at = now
    await session.execute(
        delete(PatientIdentifier).where(col(PatientIdentifier.patient_ref) == patient_ref)
    )
    # A visit number is the EHR's identifier of the stay: it goes too.
    await session.execute(
        update(Episode)
        .where(col(Episode.patient_ref) == patient_ref)
        .values(visit_number=literal("erased-") + col(Episode.episode_id))
    )
    state = PatientErasureState(version=1, patient_ref=patient_ref, erased_at=now)
    stage(session, PatientErased.new(state, branch=branch))
    return patient
