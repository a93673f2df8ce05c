"""The waitlist: a patient joins when no mentor fits, leaves when matched or no longer wanting
support, and the whole list is re-optimised against the pool's free places."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from matching.matches import domain, reoptimise
from matching.matches.claim import make_match
from matching.matches.needs import PatientNeed, needs_of
from matching.patients.models import EpisodeProjection
from matching.pool.profiles import open_pool
from matching.waitlist.models import WaitlistEntry
from shared.contracts.envelope import utcnow
from shared.contracts.matching import MatchWaitlisted, WaitlistLeft, WaitlistState
from shared.outbox import stage

WAITLIST_BATCH = 10_000  # waiting patients re-optimised together at most


def _waitlist_state(row: WaitlistEntry) -> WaitlistState:
    return WaitlistState.model_validate(row, from_attributes=True)


async def join_waitlist(
    session: AsyncSession,
    episode: EpisodeProjection,
    waiting: WaitlistEntry | None,
    correlation_id: str | None,
) -> None:
    """The patient waits for a mentor (again); nothing changes while they already wait."""
    if waiting is None:
        waiting = WaitlistEntry(
            episode_id=episode.episode_id,
            patient_ref=episode.patient_ref,
            branch=episode.branch,
            language=episode.language,
            status="waiting",
        )
        session.add(waiting)
    elif waiting.status == "waiting":
        return
    else:
        waiting.status = "waiting"
        waiting.since = utcnow()
        waiting.version += 1
    stage(
        session,
        MatchWaitlisted.new(
            _waitlist_state(waiting), branch=waiting.branch, correlation_id=correlation_id
        ),
    )
    await session.flush()


def leave_waitlist(
    session: AsyncSession, entry: WaitlistEntry, status: str, correlation_id: str | None
) -> None:
    """The patient stops waiting: `matched` or `withdrawn`."""
    entry.status = status
    entry.version += 1
    stage(
        session,
        WaitlistLeft.new(
            _waitlist_state(entry), branch=entry.branch, correlation_id=correlation_id
        ),
    )


async def waiting_patients(
    session: AsyncSession, entries: list[WaitlistEntry], policy: domain.Policy
) -> list[PatientNeed]:
    """What each waiting entry needs, in the entries' order (a handful of queries for the
    whole list)."""
    ids = [entry.episode_id for entry in entries]
    episodes = {
        row.episode_id: row
        for row in await session.scalars(
            select(EpisodeProjection).where(col(EpisodeProjection.episode_id).in_(ids))
        )
    }
    ordered = [episodes[i] for i in ids if i in episodes]
    return await needs_of(session, ordered, policy, utcnow())


async def fill_waitlist(
    session: AsyncSession, correlation_id: str | None, policy: domain.Policy
) -> int:
    """Re-optimise the whole waitlist against the pool's free places (established matches are
    never touched); return how many patients were matched."""
    entries = list(
        await session.scalars(
            select(WaitlistEntry)
            .where(col(WaitlistEntry.status) == "waiting")
            .order_by(col(WaitlistEntry.since), col(WaitlistEntry.episode_id))
            .limit(WAITLIST_BATCH)
        )
    )
    if not entries:
        return 0
    today = utcnow().date()
    patients = await waiting_patients(session, entries, policy)
    pool = await open_pool(session, today)
    if not pool:
        return 0
    waiting = [
        reoptimise.Waiting(p.episode.episode_id, p.need, p.previous_mentors, p.excluded)
        for p in patients
    ]
    chosen = reoptimise.assign(waiting, pool, policy.weights_for, today, policy.fairness)
    by_episode = {p.episode.episode_id: p for p in patients}
    by_entry = {entry.episode_id: entry for entry in entries}
    matched = 0
    for assignment in chosen:
        wanted = by_episode[assignment.episode_id]
        weights = policy.weights_for(wanted.episode.branch)
        why = domain.explanation(assignment.scored, [], weights) | {
            "via": "waitlist re-optimisation"
        }
        row = await make_match(
            session, wanted, assignment.scored.mentor.mentor_id, why, correlation_id, policy
        )
        if row is not None:
            leave_waitlist(session, by_entry[assignment.episode_id], "matched", correlation_id)
            matched += 1
    await session.flush()
    return matched
