"""Intake's episode and per-stay consent state as kept by a consuming service (matching,
aftercare, sessions).

Each consumer owns its own tables (built on these bases) and its own `reconcile` rule; this
module applies newer versions and calls `reconcile` for every episode the change touches.
"""

from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import delete, exists, inspect, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import Field, SQLModel, col

from shared.consumer import Handler
from shared.contracts.envelope import Event
from shared.contracts.intake import (
    EPISODE_EVENTS,
    ConsentChanged,
    PatientErased,
    PatientMerged,
    StayConsentChanged,
)
from shared.projections import apply_if_newer

EPISODE_FIELDS = ("episode_id", "patient_ref", "branch", "language", "status", "version")
CONSENT_FIELDS = ("episode_id", "patient_ref", "status", "recorded_at", "version")
REFUSED = ("declined", "withdrawn")

Reconcile = Callable[[AsyncSession, str, str | None], Awaitable[None]]


class EpisodeProjectionBase(SQLModel):
    """Columns of an episode as last applied (a service subclasses it with its table name)."""

    episode_id: str = Field(primary_key=True, max_length=40)
    patient_ref: str = Field(index=True, max_length=40)
    branch: str = Field(max_length=64)
    language: str = Field(max_length=16)
    status: str = Field(max_length=16)
    version: int


class PatientMergeBase(SQLModel):
    """A merge remembered by a service whose rows can arrive from another stream after the
    merge did (e.g. sessions creating a row from a match made before it): new rows are keyed
    by the surviving `patient_ref`."""

    source_patient_ref: str = Field(primary_key=True, max_length=40)
    target_patient_ref: str = Field(max_length=40)


async def surviving_patient_ref(
    session: AsyncSession, merges: type[PatientMergeBase], patient_ref: str
) -> str:
    """The `patient_ref` a patient is known by now, following merges (a chain at most 20
    deep, which no real history reaches)."""
    for _ in range(20):
        row = await session.get(merges, patient_ref)
        if row is None:
            return patient_ref
        patient_ref = row.target_patient_ref
    return patient_ref


class ConsentProjectionBase(SQLModel):
    """A stay's consent (given, declined or withdrawn) as last applied."""

    episode_id: str = Field(primary_key=True, max_length=40)
    patient_ref: str = Field(index=True, max_length=40)
    status: str = Field(max_length=16)
    recorded_at: datetime
    version: int


async def current_consent(
    session: AsyncSession,
    episodes: type[EpisodeProjectionBase],
    consents: type[ConsentProjectionBase],
    patient_ref: str,
    lock: bool = False,
) -> str | None:
    """The patient's current answer about peer support: that of their open (admitted) stays,
    None while one of them is not answered yet; with no stay open, their latest answer.
    `lock` holds the patient's consent rows, so a change of answer waits for the caller."""
    if lock:
        await session.execute(
            select(col(consents.episode_id))
            .where(col(consents.patient_ref) == patient_ref)
            .with_for_update()
        )
    rows = await session.execute(
        select(col(episodes.status), col(consents.status), col(consents.recorded_at))
        .select_from(episodes)
        .outerjoin(consents, col(consents.episode_id) == col(episodes.episode_id))
        .where(col(episodes.patient_ref) == patient_ref)
    )
    stays = [(stay, answer, at) for stay, answer, at in rows]
    open_ = [(answer, at) for stay, answer, at in stays if stay == "admitted"]
    if any(answer is None for answer, _ in open_):
        return None
    answered = open_ or [(answer, at) for _, answer, at in stays if answer is not None]
    return max(answered, key=lambda pair: pair[1])[0] if answered else None


def only_the_patient_changed(before: dict[str, Any] | None, after: dict[str, Any]) -> bool:
    """A merge relabelled the episode (HL7 A40): nothing about the stay itself changed."""
    if before is None or before["patient_ref"] == after["patient_ref"]:
        return False
    return all(after[k] == v for k, v in before.items() if k not in ("patient_ref", "version"))


async def follow_relabel(
    session: AsyncSession, consents: type[ConsentProjectionBase], episode_id: str, patient_ref: str
) -> None:
    """The relabelled stay's consent row follows it to the surviving `patient_ref`."""
    await session.execute(
        update(consents)
        .where(col(consents.episode_id) == episode_id)
        .values(patient_ref=patient_ref)
    )


def intake_handlers(
    episodes: type[EpisodeProjectionBase],
    consents: type[ConsentProjectionBase],
    reconcile: Callable[[], Reconcile],
    patient_tables: Sequence[type[SQLModel]] = (),
    episode_fields: tuple[str, ...] = EPISODE_FIELDS,
    erase: Handler | None = None,
    merges: type[PatientMergeBase] | None = None,
    before_merge: Handler | None = None,
) -> Mapping[str, Handler]:
    """Handlers by subject for every intake event; `reconcile()` is looked up per event.

    A stay's consent (v2) reconciles that stay. A patient merge re-keys `patient_tables` (the
    service's own rows with a `patient_ref`) and the consent rows, after `before_merge`
    settles what both records hold; episodes follow through their own `intake.episode.updated`
    events, which change no match or enrolment when only the `patient_ref` changed.
    `episode_fields` are the episode state's fields the service's table keeps. `erase` deletes
    or anonymises the service's data about a patient whose identity intake erased.
    """

    handlers = {
        **_episode_handlers(episodes, consents, reconcile, episode_fields),
        **_consent_handlers(episodes, consents, reconcile),
    }
    handlers[PatientMerged.SUBJECT] = _merge_handler(
        rekey_on_merge((*patient_tables, consents), merges), before_merge
    )
    if erase is not None:
        handlers[PatientErased.SUBJECT] = erase
    return handlers


def _episode_handlers(
    episodes: type[EpisodeProjectionBase],
    consents: type[ConsentProjectionBase],
    reconcile: Callable[[], Reconcile],
    episode_fields: tuple[str, ...],
) -> dict[str, Handler]:
    """The handler of every episode event: apply the newer state, then reconcile the stay."""

    async def on_episode(session: AsyncSession, event: Event) -> None:
        state = event.data
        known = await session.get(episodes, state.episode_id, with_for_update=True)
        before = {name: getattr(known, name) for name in episode_fields} if known else None
        row = await apply_if_newer(session, episodes, state.episode_id, state, episode_fields)
        if row is None:
            return
        if only_the_patient_changed(before, {name: getattr(row, name) for name in episode_fields}):
            await follow_relabel(session, consents, state.episode_id, state.patient_ref)
            return
        await reconcile()(session, state.episode_id, event.correlation_id)

    return {cls.SUBJECT: on_episode for cls in EPISODE_EVENTS}


def _consent_handlers(
    episodes: type[EpisodeProjectionBase],
    consents: type[ConsentProjectionBase],
    reconcile: Callable[[], Reconcile],
) -> dict[str, Handler]:
    """Handlers of consent per stay (v2) and of the older consent per patient (v1)."""

    async def on_stay_consent(session: AsyncSession, event: Event) -> None:
        state = event.data
        if await apply_if_newer(session, consents, state.episode_id, state, CONSENT_FIELDS):
            await reconcile()(session, state.episode_id, event.correlation_id)

    async def on_patient_consent(session: AsyncSession, event: Event) -> None:
        """A v1 (per patient) event still in the stream from before consent was per stay: a
        withdrawal reaches every stay of the patient known here; a `given` only refreshes a
        stay that already holds consent (it never starts a stay's consent)."""
        state = event.data
        touched = await session.scalars(
            select(col(episodes.episode_id)).where(col(episodes.patient_ref) == state.patient_ref)
        )
        for episode_id in list(touched):
            if state.status == "given" and await session.get(consents, episode_id) is None:
                continue
            stay = SimpleNamespace(**state.model_dump(), episode_id=episode_id)
            if await apply_if_newer(session, consents, episode_id, stay, CONSENT_FIELDS):
                await reconcile()(session, episode_id, event.correlation_id)

    return {
        StayConsentChanged.SUBJECT: on_stay_consent,
        ConsentChanged.SUBJECT: on_patient_consent,
    }


def _merge_handler(rekey: Handler, before_merge: Handler | None) -> Handler:
    """The merge handler: `before_merge` (if any) settles both records, then rows are re-keyed."""
    if before_merge is None:
        return rekey

    async def on_merge(session: AsyncSession, event: Event) -> None:
        await before_merge(session, event)
        await rekey(session, event)

    return on_merge


def rekey_on_merge(
    patient_tables: Sequence[type[SQLModel]], merges: type[PatientMergeBase] | None = None
) -> Handler:
    """A handler for `intake.patient.merged`: the service's rows of the merged patient move
    to the surviving `patient_ref`. Where `patient_ref` is part of a table's key, a row the
    survivor already has stays as it is and the merged patient's copy is dropped. With
    `merges`, the merge is remembered for rows that arrive later (`surviving_patient_ref`)."""

    async def on_merge(session: AsyncSession, event: Event) -> None:
        merge = event.data
        source, target = merge.source_patient_ref, merge.target_patient_ref
        if merges is not None and await session.get(merges, source) is None:
            session.add(merges(source_patient_ref=source, target_patient_ref=target))
        for table in patient_tables:
            column = col(table.patient_ref)  # type: ignore[attr-defined]
            key = [c.key for c in inspect(table).primary_key]
            query = update(table).where(column == source)
            if "patient_ref" in key:
                theirs = aliased(table)
                query = query.where(
                    ~exists().where(
                        theirs.patient_ref == target,  # type: ignore[attr-defined]
                        *(
                            getattr(theirs, k) == getattr(table, k)
                            for k in key
                            if k != "patient_ref"
                        ),
                    )
                )
            await session.execute(query.values(patient_ref=target))
            await session.execute(delete(table).where(column == source))

    return on_merge
