"""EHR use cases over REST (admit, discharge, cancel, transfer) and the episode writes every
channel shares: load, decide (domain), write state plus events in one transaction."""

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from intake.consent import domain as consent_domain
from intake.consent import handlers as consent
from intake.consent.models import StayConsent
from intake.ehr import bulk, domain
from intake.ehr.domain import EhrOptions, Visit
from intake.ehr.models import Episode
from intake.ehr.read_handlers import load_episode
from intake.ehr.schemas import AdmissionRequest, DischargeRequest, TransferRequest
from intake.identity import lookups
from intake.identity.handlers import resolve_patient
from shared.audit import CURRENT
from shared.contracts.envelope import Event, utcnow
from shared.contracts.intake import (
    EpisodeAdmissionCancelled,
    EpisodeAdmitted,
    EpisodeBranchTransferred,
    EpisodeDischargeCancelled,
    EpisodeDischarged,
    EpisodeState,
    EpisodeTransferred,
    StayConsentChanged,
)
from shared.errors import DomainError
from shared.outbox import stage


def episode_state(row: Episode) -> EpisodeState:
    """The event-carried state of an episode row."""
    return EpisodeState.model_validate(row, from_attributes=True)


_CREATED_AS: dict[str, type[Event]] = {
    "admitted": EpisodeAdmitted,
    "discharged": EpisodeDischarged,
    "cancelled": EpisodeAdmissionCancelled,
}


async def find_visit(session: AsyncSession, authority: str, number: str) -> Episode | None:
    """The episode an EHR knows by this visit number, if intake has seen it."""
    cache = lookups.cached(session)
    if cache is not None and (authority, number) in cache.visits:
        return cache.visits[(authority, number)]
    return await session.scalar(
        select(Episode).where(
            col(Episode.visit_authority) == authority, col(Episode.visit_number) == number
        )
    )


def open_episode(
    session: AsyncSession, patient_ref: str, visit: Visit, status: str, language: str
) -> Episode:
    """A new episode, first seen in `status` (out-of-order feeds may start it discharged or
    cancelled), announced with the one event that describes it."""
    admitted_at = visit.admitted_at or visit.discharged_at or utcnow()
    discharged = status == "discharged"
    row = Episode(
        episode_id=domain.new_episode_id(),
        patient_ref=patient_ref,
        visit_authority=visit.authority,
        visit_number=visit.number,
        branch=visit.branch,
        ward=visit.ward,
        language=language,
        status=status,
        admitted_at=admitted_at,
        discharged_at=(visit.discharged_at or utcnow()) if discharged else None,
        disposition=visit.disposition if discharged else None,
    )
    session.add(row)
    lookups.remember_visit(session, row)
    stage(session, _CREATED_AS[status].new(episode_state(row), branch=row.branch))
    return row


async def admit(
    session: AsyncSession, request: AdmissionRequest, options: EhrOptions
) -> tuple[EpisodeState, bool]:
    """Register an admission; the same visit number at the same branch is answered, not repeated.
    The stay's consent is the one taken with the admission, else carried over (`carry_over`
    window), else not asked yet."""
    domain.check_branch(request.branch, options.branches)
    existing = await find_visit(session, request.branch, request.visit_number)
    if existing is not None:
        return episode_state(existing), False
    patient, _ = await resolve_patient(session, request.patient_details())
    visit = Visit(
        authority=request.branch,
        number=request.visit_number,
        branch=request.branch,
        ward=request.ward,
        admitted_at=request.admitted_at,
    )
    row = open_episode(session, patient.patient_ref, visit, "admitted", request.language)
    await consent.carry_over(session, row, options.consent_carry_over)
    if request.consent is not None:
        await consent.answer(session, row, request.consent)
    return episode_state(row), True


async def admit_batch(
    session: AsyncSession, requests: list[AdmissionRequest], options: EhrOptions
) -> list[tuple[EpisodeState, bool]]:
    """Admit several patients in one transaction: all are applied, or none. Patients and
    visits intake has not seen are written in bulk; the others one by one."""
    written = await _admit_unseen(session, requests, options) if _valid(requests, options) else {}
    results = []
    for index, request in enumerate(requests):
        if index in written:
            results.append((written[index], True))
            continue
        try:
            results.append(await admit(session, request, options))
        except DomainError as error:
            raise type(error)(f"admissions[{index}]: {error.reason}") from None
    return results


def _valid(requests: list[AdmissionRequest], options: EhrOptions) -> bool:
    """Whether every branch and consent text is known (else the one-by-one path says which
    admission is wrong, as it always did)."""
    try:
        for request in requests:
            domain.check_branch(request.branch, options.branches)
            if request.consent is not None:
                consent_domain.check_consent_text(
                    request.consent.text_version, request.consent.text_language
                )
    except DomainError:
        return False
    return True


async def _admit_unseen(
    session: AsyncSession, requests: list[AdmissionRequest], options: EhrOptions
) -> dict[int, EpisodeState]:
    """The independent admissions of unseen patients and visits, written in bulk with their
    consent answers; their episodes by position."""
    candidates = [
        bulk.NewAdmission(
            request.patient_details(),
            Visit(
                request.branch,
                request.visit_number,
                request.branch,
                request.ward,
                admitted_at=request.admitted_at,
            ),
            request.language,
        )
        for request in requests
    ]
    known = await bulk.seen(
        session,
        identifiers={i for c in candidates for i in c.patient.identifiers},
        visits={(c.visit.authority, c.visit.number) for c in candidates},
    )
    chosen = [i for i, new in enumerate(bulk.unseen(candidates, known)) if new]
    states = await bulk.write(session, [candidates[i] for i in chosen])
    consents = []
    audit = CURRENT.get()
    for index, state in zip(chosen, states, strict=True):
        stage(session, EpisodeAdmitted.new(state, branch=state.branch))
        if audit is not None:
            audit.written.add(state.patient_ref)
        answer = requests[index].consent
        if answer is not None:
            new = consent_domain.change_consent(
                None, state, (answer.status, answer.text_version, answer.text_language), utcnow()
            )
            assert new is not None  # a first answer always changes the stay
            consents.append({**new.model_dump(), "recorded_by": answer.recorded_by})
            stage(session, StayConsentChanged.new(new, branch=state.branch))
    await bulk.insert_rows(session, StayConsent, consents)
    return dict(zip(chosen, states, strict=True))


_EPISODE_FIELDS = (
    "patient_ref",
    "branch",
    "ward",
    "language",
    "status",
    "discharged_at",
    "disposition",
    "version",
)


async def save_episode(
    session: AsyncSession, row: Episode, new_state: EpisodeState, event_type: type[Event]
) -> EpisodeState:
    """Write an episode's new state and stage the event that announces it."""
    for field in _EPISODE_FIELDS:
        setattr(row, field, getattr(new_state, field))
    row.updated_at = utcnow()
    stage(session, event_type.new(new_state, branch=new_state.branch))
    return new_state


async def discharge(
    session: AsyncSession,
    episode_id: str,
    request: DischargeRequest,
    scope: ColumnElement[bool] | None = None,
) -> EpisodeState:
    """Discharge an admitted patient."""
    row = await load_episode(session, episode_id, scope)
    new = domain.discharge(
        episode_state(row), request.discharged_at or utcnow(), request.disposition
    )
    return await save_episode(session, row, new, EpisodeDischarged)


async def cancel_admission(
    session: AsyncSession, episode_id: str, scope: ColumnElement[bool] | None = None
) -> EpisodeState:
    """Cancel an admission entered in error."""
    row = await load_episode(session, episode_id, scope)
    new = domain.cancel_admission(episode_state(row))
    return await save_episode(session, row, new, EpisodeAdmissionCancelled)


async def cancel_discharge(
    session: AsyncSession, episode_id: str, scope: ColumnElement[bool] | None = None
) -> EpisodeState:
    """Cancel a discharge; the patient is admitted again in the same episode."""
    row = await load_episode(session, episode_id, scope)
    new = domain.cancel_discharge(episode_state(row))
    return await save_episode(session, row, new, EpisodeDischargeCancelled)


async def transfer(
    session: AsyncSession,
    episode_id: str,
    request: TransferRequest,
    branches: tuple[str, ...],
    scope: ColumnElement[bool] | None = None,
) -> EpisodeState:
    """Move an admitted patient to another ward or branch."""
    domain.check_branch(request.branch, branches)
    row = await load_episode(session, episode_id, scope)
    return await move(session, row, request.branch, request.ward)


async def move(session: AsyncSession, row: Episode, branch: str, ward: str) -> EpisodeState:
    """Transfer; a move to another branch is its own event so matching can review the mentor."""
    before = episode_state(row)
    new = domain.transfer(before, branch, ward)
    event = EpisodeBranchTransferred if domain.is_branch_change(before, new) else EpisodeTransferred
    return await save_episode(session, row, new, event)


async def latest_branch(session: AsyncSession, patient_ref: str) -> str:
    """The branch of the patient's latest episode (events about a patient are tagged with it)."""
    branch = await session.scalar(
        select(col(Episode.branch))
        .where(col(Episode.patient_ref) == patient_ref)
        .order_by(col(Episode.admitted_at).desc())
        .limit(1)
    )
    return branch or "unknown"
