"""EHR feed use cases: apply what an EHR sent (HL7 v2 or FHIR, already mapped) to the vault and
the episodes."""

from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from intake.consent import handlers as consent
from intake.consent.models import StayConsent
from intake.ehr import domain
from intake.ehr.domain import EhrMessage, EhrOptions
from intake.ehr.handlers import (
    episode_state,
    find_visit,
    latest_branch,
    move,
    open_episode,
    save_episode,
)
from intake.ehr.models import Episode
from intake.identity.handlers import add_identifiers, find_patient, move_identity, resolve_patient
from intake.identity.models import Patient
from shared.contracts.envelope import utcnow
from shared.contracts.intake import (
    EpisodeAdmissionCancelled,
    EpisodeDischargeCancelled,
    EpisodeDischarged,
    EpisodeUpdated,
    PatientMerged,
    PatientMergeState,
)
from shared.errors import Conflict, Invalid
from shared.outbox import stage


async def apply_ehr_message(session: AsyncSession, message: EhrMessage, options: EhrOptions) -> str:
    """Apply one EHR notification in the caller's transaction; return what was done. A new
    admission starts with no consent, unless the stay before ended within the options'
    `consent_carry_over` with consent given.

    Raises a DomainError (the sender gets AE / a 4xx) when it cannot apply.
    """
    if message.action == "merge":
        return await _merge(session, message)
    patient, _ = await resolve_patient(session, message.patient)
    if message.action == "update":
        return await _relabel_open_episodes(session, patient)
    if message.visit is None:
        raise Invalid("the message has no visit (PV1-19 visit number)")
    domain.check_branch(message.visit.branch, options.branches)
    row = await find_visit(session, message.visit.authority, message.visit.number)
    if row is not None and row.patient_ref != patient.patient_ref:
        raise Conflict("the visit number belongs to another patient; check PID-3 and PV1-19")
    language = patient.language or options.default_language
    return await _step(session, message, row, patient, language, options.consent_carry_over)


async def _step(
    session: AsyncSession,
    message: EhrMessage,
    row: Episode | None,
    patient: Patient,
    language: str,
    carry_over: timedelta,
) -> str:
    visit = message.visit
    assert visit is not None
    step = domain.decide(message.action, row.status if row else None)
    if step in ("create_admitted", "create_discharged", "create_cancelled"):
        status = step.removeprefix("create_")
        opened = open_episode(session, patient.patient_ref, visit, status, language)
        if status == "admitted":
            await consent.carry_over(session, opened, carry_over)
        return f"new episode, {status}"
    if step == "nothing" or row is None:
        return "already applied: nothing changed"
    state = episode_state(row)
    if step == "transfer":
        if (state.branch, state.ward) == (visit.branch, visit.ward):
            return "already at that location: nothing changed"
        moved = await move(session, row, visit.branch, visit.ward)
        return f"transferred to {moved.branch}/{moved.ward}"
    if step == "discharge":
        at = visit.discharged_at or message.recorded_at or utcnow()
        new = domain.discharge(state, at, visit.disposition)
        await save_episode(session, row, new, EpisodeDischarged)
        return "discharged"
    if step == "cancel_admission":
        await save_episode(session, row, domain.cancel_admission(state), EpisodeAdmissionCancelled)
        return "admission cancelled"
    await save_episode(session, row, domain.cancel_discharge(state), EpisodeDischargeCancelled)
    return "discharge cancelled"


async def _relabel_open_episodes(session: AsyncSession, patient: Patient) -> str:
    """A08: the vault is updated; an admitted episode follows a change of language."""
    if not patient.language:
        return "demographics updated"
    rows = await session.scalars(
        select(Episode).where(
            col(Episode.patient_ref) == patient.patient_ref, col(Episode.status) == "admitted"
        )
    )
    for row in list(rows):
        new = domain.relabel(episode_state(row), language=patient.language)
        if new is not None:
            await save_episode(session, row, new, EpisodeUpdated)
    return "demographics updated"


async def _merge(session: AsyncSession, message: EhrMessage) -> str:
    """A40: `merge_from` is folded into the patient the message names, and services are told."""
    if not message.merge_from:
        raise Invalid("MRG-1 (prior patient identifier) is required for a merge")
    target, _ = await resolve_patient(session, message.patient)
    source = await find_patient(session, message.merge_from)
    if source is None:
        await add_identifiers(session, target.patient_ref, message.merge_from)
        return "prior patient not known: its identifiers now point to the surviving patient"
    if source.patient_ref == target.patient_ref:
        return "already merged: nothing changed"
    await move_identity(session, source, target)
    rows = await session.scalars(
        select(Episode).where(col(Episode.patient_ref) == source.patient_ref)
    )
    for row in list(rows):
        new = domain.relabel(episode_state(row), patient_ref=target.patient_ref)
        if new is not None:
            await save_episode(session, row, new, EpisodeUpdated)
    # Each stay's consent travels with its stay; nothing about it changes, so nothing is
    # announced (consumers re-key it on PatientMerged).
    await session.execute(
        update(StayConsent)
        .where(col(StayConsent.patient_ref) == source.patient_ref)
        .values(patient_ref=target.patient_ref)
    )
    branch = await latest_branch(session, target.patient_ref)
    merge = PatientMergeState(
        version=1,
        source_patient_ref=source.patient_ref,
        target_patient_ref=target.patient_ref,
        merged_at=utcnow(),
    )
    stage(session, PatientMerged.new(merge, branch=branch))
    return "patients merged"
