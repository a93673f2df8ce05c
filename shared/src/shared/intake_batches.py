"""Intake's episode and per-stay consent events applied a run at a time (`BatchHandler`): one
read of the versions the run touches, rows written through SQLAlchemy Core, and `reconcile`
called in event order exactly as the per-event handlers of `shared.intake_projection` do.

New admissions that a service knows need nothing (`QuietAdmissions`) are inserted together in
one statement and not reconciled; they are written before any other event of the run is
reconciled, so every reconcile sees the state it would have seen one event at a time.
"""

from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from shared.consumer import BatchHandler, in_trace_of
from shared.contracts.envelope import Event
from shared.contracts.intake import EPISODE_EVENTS, EpisodeAdmitted, StayConsentChanged
from shared.intake_projection import (
    CONSENT_FIELDS,
    ConsentProjectionBase,
    EpisodeProjectionBase,
    Reconcile,
    follow_relabel,
    only_the_patient_changed,
)

EPISODE_SUBJECTS = frozenset(cls.SUBJECT for cls in EPISODE_EVENTS)
# Given new admitted episodes (states), the ids of those whose reconcile would change nothing.
QuietAdmissions = Callable[[AsyncSession, Sequence[Any]], Awaitable[set[str]]]


async def _known(
    session: AsyncSession, table: Any, keys: set[str], fields: tuple[str, ...]
) -> dict[str, dict[str, Any]]:
    """The stored fields of these rows by episode id, locked for the transaction."""
    rows = await session.execute(
        select(*(col(getattr(table, name)) for name in fields))
        .where(col(table.episode_id).in_(keys))
        .with_for_update()
    )
    return {row.episode_id: dict(row._mapping) for row in rows}


async def _write(session: AsyncSession, table: Any, values: dict[str, Any], exists: bool) -> None:
    """Insert or update one row; the ORM-enabled update keeps loaded objects in step."""
    if exists:
        await session.execute(
            update(table).where(col(table.episode_id) == values["episode_id"]).values(**values)
        )
    else:
        await session.execute(insert(table).values(**values))


def episode_batch_handlers(
    episodes: type[EpisodeProjectionBase],
    consents: type[ConsentProjectionBase],
    reconcile: Callable[[], Reconcile],
    episode_fields: tuple[str, ...],
    quiet: QuietAdmissions | None = None,
) -> dict[str, BatchHandler]:
    """One batch handler for every episode event and consent per stay (v2), so that a stream
    of admissions each followed by its consent makes one run."""

    async def on_run(session: AsyncSession, run: Sequence[Event]) -> None:
        episode_ids = {e.data.episode_id for e in run if e.SUBJECT in EPISODE_SUBJECTS}
        consent_ids = {e.data.episode_id for e in run if e.SUBJECT == StayConsentChanged.SUBJECT}
        known = {
            episodes: await _known(session, episodes, episode_ids, episode_fields),
            consents: await _known(session, consents, consent_ids, CONSENT_FIELDS),
        }
        quiet_ids = await _quiet_candidates(session, run, known[episodes], quiet)
        pending: list[dict[str, Any]] = []
        touched: set[str] = set()
        for event in run:
            state = event.data
            is_episode = event.SUBJECT in EPISODE_SUBJECTS
            table = episodes if is_episode else consents
            before = known[table].get(state.episode_id)
            if before is not None and before["version"] >= state.version:
                continue
            after = {
                name: getattr(state, name)
                for name in (episode_fields if is_episode else CONSENT_FIELDS)
            }
            known[table][state.episode_id] = after
            if is_episode and state.episode_id in quiet_ids and state.patient_ref not in touched:
                pending.append(after)
                continue
            touched.add(state.patient_ref)
            await _flush_inserts(session, episodes, pending)
            await _write(session, table, after, before is not None)
            with in_trace_of(event):
                if is_episode and only_the_patient_changed(before, after):
                    await follow_relabel(session, consents, state.episode_id, state.patient_ref)
                    continue
                await reconcile()(session, state.episode_id, event.correlation_id)
        await _flush_inserts(session, episodes, pending)

    return {subject: on_run for subject in (*EPISODE_SUBJECTS, StayConsentChanged.SUBJECT)}


async def _quiet_candidates(
    session: AsyncSession,
    run: Sequence[Event],
    known: dict[str, dict[str, Any]],
    quiet: QuietAdmissions | None,
) -> set[str]:
    """Ids of the run's new admissions (each episode once) whose reconcile changes nothing."""
    admissions, consented = [], set()
    for event in run:
        if event.SUBJECT == StayConsentChanged.SUBJECT:
            consented.add(event.data.episode_id)  # a consent before its admission in the run
        elif event.SUBJECT == EpisodeAdmitted.SUBJECT and event.data.episode_id not in consented:
            admissions.append(event.data)
    if quiet is None or not admissions:
        return set()
    times = Counter(e.data.episode_id for e in run if e.SUBJECT in EPISODE_SUBJECTS)
    new = [s for s in admissions if s.episode_id not in known and times[s.episode_id] == 1]
    return await quiet(session, new) if new else set()


async def _flush_inserts(session: AsyncSession, table: Any, pending: list[dict[str, Any]]) -> None:
    """Insert the quiet new rows gathered so far in one statement."""
    if pending:
        await session.execute(insert(table), list(pending))
        pending.clear()
