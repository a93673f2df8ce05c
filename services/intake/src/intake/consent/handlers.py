"""Consent to peer support belongs to a stay: record an answer (given, declined, withdrawn) for
an episode or for a patient's current stay, carry a `given` over to a readmission within the
hospital's window, and list a patient's answers."""

from datetime import timedelta

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from intake.consent import domain
from intake.consent.models import StayConsent
from intake.consent.schemas import ConsentRequest
from intake.ehr.models import Episode
from intake.ehr.read_handlers import load_episode
from intake.identity.models import Patient
from shared.contracts.envelope import utcnow
from shared.contracts.intake import EpisodeState, StayConsentChanged, StayConsentState
from shared.errors import Conflict, NotFound
from shared.outbox import stage

CARRIED_OVER_BY = "carried over"


def stay_consent_state(row: StayConsent) -> StayConsentState:
    """The event-carried state of a stay's consent row."""
    return StayConsentState.model_validate(row, from_attributes=True)


async def answer(
    session: AsyncSession,
    episode: Episode,
    request: ConsentRequest,
    carried_over_from: str | None = None,
) -> StayConsent:
    """Record the answer for this stay; a change is announced to the other services."""
    domain.check_consent_text(request.text_version, request.text_language)
    row = await session.get(StayConsent, episode.episode_id, with_for_update=True)
    stay = EpisodeState.model_validate(episode, from_attributes=True)
    new = domain.change_consent(
        stay_consent_state(row) if row is not None else None,
        stay,
        (request.status, request.text_version, request.text_language),
        utcnow(),
        carried_over_from,
    )
    if new is None:
        assert row is not None
        return row
    if row is None:
        row = StayConsent(**new.model_dump(), recorded_by=request.recorded_by)
        session.add(row)
    else:
        for name, value in new.model_dump().items():
            setattr(row, name, value)
        row.recorded_by = request.recorded_by
    stage(session, StayConsentChanged.new(new, branch=episode.branch))
    return row


async def record_for_episode(
    session: AsyncSession,
    episode_id: str,
    request: ConsentRequest,
    scope: ColumnElement[bool] | None = None,
) -> StayConsent:
    """Record the patient's answer about peer support for this stay."""
    return await answer(session, await load_episode(session, episode_id, scope), request)


async def answer_for_episode(
    session: AsyncSession, episode_id: str, scope: ColumnElement[bool]
) -> StayConsent:
    """The stay's recorded answer (404: the episode is out of reach, or not asked yet)."""
    episode = await load_episode(session, episode_id, scope)
    row = await session.get(StayConsent, episode.episode_id)
    if row is None:
        raise NotFound(f"no consent answer recorded for episode {episode_id!r} yet")
    return row


async def _stays(session: AsyncSession, patient_ref: str) -> list[Episode]:
    """The patient's stays, latest admission first."""
    rows = await session.scalars(
        select(Episode)
        .where(col(Episode.patient_ref) == patient_ref)
        .order_by(col(Episode.admitted_at).desc(), col(Episode.episode_id).desc())
    )
    return list(rows)


async def record_for_patient(
    session: AsyncSession, patient_ref: str, request: ConsentRequest
) -> StayConsent:
    """The patient-level answer applies to their current stay: the open (admitted) one, else
    the latest that was not cancelled (a discharged patient in aftercare can still withdraw).
    A withdrawal also withdraws every other stay's given consent. No stay at all: 409."""
    if await session.get(Patient, patient_ref) is None:
        raise NotFound(f"no patient {patient_ref!r}")
    stays = await _stays(session, patient_ref)
    if not stays:
        raise Conflict("the patient has no stay yet: consent is recorded for a stay")
    current = next((s for s in stays if s.status == "admitted"), None) or next(
        (s for s in stays if s.status != "cancelled"), stays[0]
    )
    if request.status == "withdrawn":
        await withdraw_everywhere(session, patient_ref, request.recorded_by)
    return await answer(session, current, request)


async def withdraw_everywhere(session: AsyncSession, patient_ref: str, recorded_by: str) -> None:
    """Withdraw every stay's given consent (the patient wants no support anywhere)."""
    for stay in await _stays(session, patient_ref):
        row = await session.get(StayConsent, stay.episode_id)
        if row is not None and row.status == "given":
            withdrawal = ConsentRequest(
                status="withdrawn",
                text_version=row.text_version,
                text_language=row.text_language,
                recorded_by=recorded_by,
            )
            await answer(session, stay, withdrawal)


async def carry_over(session: AsyncSession, episode: Episode, window: timedelta) -> None:
    """A new admission starts unanswered, unless the stay before it ended within `window` with
    consent given: then it starts as given, marked as carried over from that stay."""
    if window <= timedelta(0):
        return
    previous = await session.scalar(
        select(Episode)
        .where(
            col(Episode.patient_ref) == episode.patient_ref,
            col(Episode.episode_id) != episode.episode_id,
            col(Episode.status) != "cancelled",
            col(Episode.admitted_at) <= episode.admitted_at,
        )
        .order_by(col(Episode.admitted_at).desc(), col(Episode.episode_id).desc())
        .limit(1)
    )
    if previous is None:
        return
    given = await session.get(StayConsent, previous.episode_id)
    if given is None or not domain.carries_over(
        given.status, previous.discharged_at, episode.admitted_at, window
    ):
        return
    request = ConsentRequest(
        status="given",
        text_version=given.text_version,
        text_language=given.text_language,
        recorded_by=CARRIED_OVER_BY,
    )
    await answer(session, episode, request, carried_over_from=previous.episode_id)


async def answers_of(session: AsyncSession, patient_ref: str) -> list[StayConsent]:
    """Every stay's answer the patient gave, latest recorded first."""
    rows = await session.scalars(
        select(StayConsent)
        .where(col(StayConsent.patient_ref) == patient_ref)
        .order_by(col(StayConsent.recorded_at).desc(), col(StayConsent.episode_id))
    )
    return list(rows)
