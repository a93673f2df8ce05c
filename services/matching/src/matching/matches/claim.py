"""Claiming a mentor's place: the online decision from the in-memory pool index, the conditional
update that guards capacity, and the match made (or proposed for review) with its event."""

from collections.abc import Iterator
from datetime import date

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from matching.matches import domain
from matching.matches.metrics import note_first_match
from matching.matches.models import Match
from matching.matches.needs import PatientNeed
from matching.pool.arrays import PoolArrays
from matching.pool.domain import ACTIVE
from matching.pool.index import PoolIndex, note_change
from matching.pool.models import Mentor
from matching.pool.profiles import mentor_on_leave
from shared.contracts.envelope import AggregateState, Event, utcnow
from shared.contracts.matching import MatchMade, MatchProposalState, MatchProposed, MatchState
from shared.db import changed_a_row
from shared.outbox import stage


def match_state(row: Match) -> MatchState:
    """Event-carried state of a match row."""
    return MatchState.model_validate(row, from_attributes=True)


def proposal_state(row: Match) -> MatchProposalState:
    """Event-carried state of a match awaiting (or leaving) review."""
    status = {"active": "approved", "ended": "withdrawn"}.get(row.status, row.status)
    return MatchProposalState(
        version=row.version,
        match_id=row.match_id,
        episode_id=row.episode_id,
        patient_ref=row.patient_ref,
        mentor_id=row.mentor_id,
        branch=row.branch,
        status=status,
        awaiting=list(row.awaiting),
        supervisor_id=row.supervisor_id,
        proposed_at=row.proposed_at or row.matched_at,
        review_due_at=row.review_due_at or row.matched_at,
        escalated_at=row.escalated_at,
        ended_reason=row.ended_reason,
    )


def publish(
    session: AsyncSession,
    event_cls: type[Event],
    state: AggregateState,
    row: Match,
    correlation_id: str | None,
) -> None:
    """Stage an event about this match in the outbox, in the match's branch."""
    stage(session, event_cls.new(state, branch=row.branch, correlation_id=correlation_id))


async def _take_place(
    session: AsyncSession, mentor_id: str, today: date, version: int | None = None
) -> bool:
    """Claim one place with the mentor. The conditional update is the guard: still active and
    not on a dated leave, core certifications valid, room left and, when the choice came from
    the in-memory index, the profile version it chose by."""
    claim = (
        update(Mentor)
        .where(
            col(Mentor.mentor_id) == mentor_id,
            col(Mentor.active_mentees) < col(Mentor.capacity),
            col(Mentor.status) == ACTIVE,
            col(Mentor.certified_until) >= today,
            ~mentor_on_leave(today),
        )
        .values(active_mentees=col(Mentor.active_mentees) + 1)
    )
    if version is not None:
        claim = claim.where(col(Mentor.version) == version)
    if not await changed_a_row(session, claim):
        return False
    note_change(session, mentor_id)
    return True


async def free_place(session: AsyncSession, mentor_id: str) -> None:
    """Give one place back to the mentor."""
    freed = update(Mentor).where(col(Mentor.mentor_id) == mentor_id, col(Mentor.active_mentees) > 0)
    if await changed_a_row(session, freed.values(active_mentees=col(Mentor.active_mentees) - 1)):
        note_change(session, mentor_id)


def ranked_choices(
    pool: PoolArrays, wanted: PatientNeed, weights: domain.Weights, today: date
) -> Iterator[tuple[str, dict[str, object]]]:
    """The online decision, best first: each eligible mentor with the explanation stored if
    they are the one (their score per criterion and who came next)."""
    ranked, _ = pool.best_first(
        wanted.need,
        weights,
        today,
        wanted.previous_mentors,
        wanted.excluded | wanted.admitted_mentors,
    )
    for place, position in enumerate(ranked):
        chosen, *next_best = (
            domain.score(pool.mentors[i], wanted.need, wanted.previous_mentors, weights, today)
            for i in ranked[place : place + 4]
        )
        yield pool.mentors[position].mentor_id, domain.explanation(chosen, next_best, weights)


async def try_match(
    session: AsyncSession,
    wanted: PatientNeed,
    correlation_id: str | None,
    policy: domain.Policy,
) -> Match | None:
    """Match from the in-memory pool index, claimed in the database; if a claim fails (the
    index was stale) the next best, and so on."""
    index = PoolIndex.of(session)
    pool = await index.fresh(session)
    weights = policy.weights_for(wanted.episode.branch)
    for mentor_id, why in ranked_choices(pool, wanted, weights, utcnow().date()):
        version = index.claim_version(mentor_id)
        row = await make_match(session, wanted, mentor_id, why, correlation_id, policy, version)
        if row is not None:
            return row
        index.forget(mentor_id)
    return None


async def make_match(
    session: AsyncSession,
    wanted: PatientNeed,
    mentor_id: str,
    explanation: dict[str, object],
    correlation_id: str | None,
    policy: domain.Policy,
    version: int | None = None,
) -> Match | None:
    """Claim a place with the mentor and record the match (None if the place was gone): made
    at once, or proposed while a coordinator's review or a supervisor's sign-off is due."""
    if not await _take_place(session, mentor_id, utcnow().date(), version):
        return None
    episode = wanted.episode
    await note_first_match(session, episode.episode_id, episode.branch, episode.admitted_at)
    awaiting = policy.approvals_needed(episode.branch, wanted.need.high_risk)
    row = Match(
        match_id=domain.new_match_id(),
        episode_id=episode.episode_id,
        patient_ref=episode.patient_ref,
        mentor_id=mentor_id,
        branch=episode.branch,
        status="proposed" if awaiting else "active",
        explanation=explanation,
        awaiting=awaiting,
        # Given rather than defaulted: pydantic inspects a default factory's signature on
        # every construction, a tenth of the CPU of matching an admission.
        matched_at=utcnow(),
        reviews=[],
    )
    if awaiting:
        mentor = await session.get(Mentor, mentor_id)
        row.supervisor_id = mentor.supervisor_id if mentor else None
        row.proposed_at = utcnow()
        row.review_due_at = row.proposed_at + policy.review_deadline
    session.add(row)
    if awaiting:
        publish(session, MatchProposed, proposal_state(row), row, correlation_id)
    else:
        publish(session, MatchMade, match_state(row), row, correlation_id)
    return row
