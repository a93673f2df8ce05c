"""Matching use cases: keep projections, reconcile each episode to one match or a waitlist entry."""

from collections.abc import Iterator
from datetime import date, datetime

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from matching import domain, reoptimise
from matching.models import (
    HOLDING,
    ConsentProjection,
    EpisodeProjection,
    Match,
    Mentor,
    MentorExclusion,
    WaitlistEntry,
)
from matching.needs import PatientNeed, need_of
from matching.pool_arrays import PoolArrays
from matching.pool_index import PoolIndex, note_change
from matching.profiles import leave_of, mentor_profile
from matching.waitlist import mentor_on_leave, open_pool, waiting_patients
from shared.contracts.envelope import AggregateState, Event, utcnow
from shared.contracts.matching import (
    MatchContinuationChanged,
    MatchContinuationState,
    MatchEnded,
    MatchMade,
    MatchProposalState,
    MatchProposalWithdrawn,
    MatchProposed,
    MatchState,
    MatchWaitlisted,
    WaitlistLeft,
    WaitlistState,
)
from shared.db import changed_a_row, get_or_not_found
from shared.errors import Conflict
from shared.outbox import stage

WAITLIST_BATCH = 10_000  # waiting patients re-optimised together at most


def match_state(row: Match) -> MatchState:
    """Event-carried state of a match row."""
    return MatchState.model_validate(row, from_attributes=True)


def _waitlist_state(row: WaitlistEntry) -> WaitlistState:
    return WaitlistState.model_validate(row, from_attributes=True)


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
            col(Mentor.status) == domain.ACTIVE,
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


async def _try_match(
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
        row = await _make_match(session, wanted, mentor_id, why, correlation_id, policy, version)
        if row is not None:
            return row
        index.forget(mentor_id)
    return None


async def _make_match(
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
    )
    if awaiting:
        mentor = await session.get(Mentor, mentor_id)
        row.supervisor_id = mentor.supervisor_id if mentor else None
        row.proposed_at = utcnow()
        row.review_due_at = row.proposed_at + policy.review_deadline
    session.add(row)
    if awaiting:
        _publish(session, MatchProposed, proposal_state(row), row, correlation_id)
    else:
        _publish(session, MatchMade, match_state(row), row, correlation_id)
    return row


def _publish(
    session: AsyncSession,
    event_cls: type[Event],
    state: AggregateState,
    row: Match,
    correlation_id: str | None,
) -> None:
    stage(session, event_cls.new(state, branch=row.branch, correlation_id=correlation_id))


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


async def _end_match(
    session: AsyncSession, row: Match, reason: str, correlation_id: str | None
) -> None:
    """End an active match, or withdraw a proposal; the mentor's place is freed."""
    proposed = row.status == "proposed"
    row.status = "withdrawn" if proposed else "ended"
    row.ended_at = utcnow()
    row.ended_reason = reason
    row.version += 1
    await free_place(session, row.mentor_id)
    if proposed:
        _publish(session, MatchProposalWithdrawn, proposal_state(row), row, correlation_id)
    else:
        _publish(session, MatchEnded, match_state(row), row, correlation_id)
    await session.flush()


def _end_reason(episode: EpisodeProjection, consent: str | None) -> str:
    if episode.status == "discharged":
        return "discharged"
    if episode.status == "cancelled":
        return "admission cancelled"
    if consent in ("declined", "withdrawn"):
        return f"consent {consent}"
    return "no consent for this stay"


async def _why_the_match_cannot_go_on(
    session: AsyncSession, match: Match, wanted: PatientNeed
) -> str | None:
    """A hard constraint the match breaks now (None if it may go on): the patient moved to a
    branch the mentor does not serve, asked for another gender, became high-risk without the
    mentor's crisis cover, a conflict of interest came up, or the mentor is admitted."""
    mentor = await session.get(Mentor, match.mentor_id)
    if mentor is None:
        return "the mentor left the pool"
    if mentor.former_patient_ref == match.patient_ref:
        return domain.THEMSELVES
    if match.mentor_id in wanted.excluded:
        return "conflict of interest"
    if match.mentor_id in wanted.admitted_mentors:
        return domain.MENTOR_ADMITTED
    profile = await mentor_profile(session, mentor)
    return domain.unfit_reason(profile, wanted.need, utcnow().date())


async def reconcile(
    session: AsyncSession, episode_id: str, correlation_id: str | None, policy: domain.Policy
) -> None:
    """Bring an episode to what its state asks: one active match, a waitlist entry, or neither.

    An admitted patient who is also a mentor (a nominated alumnus) steps back from mentoring:
    their mentees are matched again.
    """
    episode = await session.get(EpisodeProjection, episode_id)
    if episode is None:
        return
    if episode.status == "admitted":
        await _release_mentees_of(session, episode.patient_ref, correlation_id, policy)
        await _end_continuations_before(session, episode, correlation_id)
    consent = await session.get(ConsentProjection, episode_id)
    consent_status = consent.status if consent else None
    wants = domain.wants_support(episode.status, consent_status)
    active = await session.scalar(
        select(Match).where(col(Match.episode_id) == episode_id, col(Match.status).in_(HOLDING))
    )
    if active is not None and await _continues(
        session, active, episode, consent_status, correlation_id, policy
    ):
        return
    wanted = await need_of(session, episode, policy, utcnow()) if wants else None
    if active is not None:
        reason = (
            await _why_the_match_cannot_go_on(session, active, wanted)
            if wanted is not None
            else _end_reason(episode, consent_status)
        )
        if reason is None:
            return
        await _end_match(session, active, reason, correlation_id)
        await fill_waitlist(session, correlation_id, policy)
    waiting = await session.get(WaitlistEntry, episode_id)
    if wanted is None:
        if waiting is not None and waiting.status == "waiting":
            _leave_waitlist(session, waiting, "withdrawn", correlation_id)
        return
    match = await _try_match(session, wanted, correlation_id, policy)
    if match is not None:
        if waiting is not None and waiting.status == "waiting":
            _leave_waitlist(session, waiting, "matched", correlation_id)
        return
    if waiting is None:
        waiting = WaitlistEntry(
            episode_id=episode_id,
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


def _leave_waitlist(
    session: AsyncSession, entry: WaitlistEntry, status: str, correlation_id: str | None
) -> None:
    entry.status = status
    entry.version += 1
    stage(
        session,
        WaitlistLeft.new(
            _waitlist_state(entry), branch=entry.branch, correlation_id=correlation_id
        ),
    )


async def _continues(
    session: AsyncSession,
    match: Match,
    episode: EpisodeProjection,
    consent_status: str | None,
    correlation_id: str | None,
    policy: domain.Policy,
) -> bool:
    """Whether an active match goes on into aftercare after this discharge (set up once). A
    cancelled discharge (the episode admitted again) brings it back to an inpatient match."""
    if match.status != "active" or consent_status != "given":
        return False
    if episode.status == "discharged" and policy.continues_after_discharge(
        episode.branch, episode.disposition
    ):
        if match.continues_until is None:
            discharged_at = episode.discharged_at or utcnow()
            match.continues_until = discharged_at + policy.aftercare_continuation
            await _continuation_changed(session, match, correlation_id)
        return True
    if episode.status == "admitted" and match.continues_until is not None:
        match.continues_until = None
        await _continuation_changed(session, match, correlation_id)
    return False


async def _continuation_changed(
    session: AsyncSession, match: Match, correlation_id: str | None
) -> None:
    match.version += 1
    state = MatchContinuationState.model_validate(match, from_attributes=True)
    _publish(session, MatchContinuationChanged, state, match, correlation_id)
    await session.flush()


async def _end_continuations_before(
    session: AsyncSession, episode: EpisodeProjection, correlation_id: str | None
) -> None:
    """A readmitted patient's match continuing from an earlier stay ends; the new stay is
    matched afresh (the same mentor first, by continuity)."""
    continuing = await session.scalars(
        select(Match).where(
            col(Match.patient_ref) == episode.patient_ref,
            col(Match.episode_id) != episode.episode_id,
            col(Match.status) == "active",
            col(Match.continues_until).is_not(None),
        )
    )
    for match in list(continuing):
        await _end_match(session, match, "readmitted", correlation_id)


async def end_finished_continuations(
    session: AsyncSession, policy: domain.Policy, now: datetime | None = None
) -> int:
    """End the matches whose aftercare continuation is over and offer the places to the
    waitlist; return how many ended."""
    finished = list(
        await session.scalars(
            select(Match).where(
                col(Match.status) == "active", col(Match.continues_until) <= (now or utcnow())
            )
        )
    )
    for match in finished:
        await _end_match(session, match, "aftercare continuation over", None)
    if finished:
        await fill_waitlist(session, None, policy)
    return len(finished)


async def step_back(
    session: AsyncSession,
    matches: list[Match],
    reason: str,
    correlation_id: str | None,
    policy: domain.Policy,
) -> None:
    """End these matches and match each patient again; a new match notes whom it replaces."""
    for match in matches:
        await _end_match(session, match, reason, correlation_id)
    for match in matches:
        await reconcile(session, match.episode_id, correlation_id, policy)
        successor = await session.scalar(
            select(Match).where(
                col(Match.episode_id) == match.episode_id, col(Match.status).in_(HOLDING)
            )
        )
        if successor is not None and successor.explanation is not None:
            successor.explanation = {
                **successor.explanation,
                "replaces": {"mentor_id": match.mentor_id, "reason": reason},
            }


async def active_matches_of(session: AsyncSession, mentor_ids: list[str]) -> list[Match]:
    """The active matches of these mentors."""
    if not mentor_ids:
        return []
    return list(
        await session.scalars(
            select(Match).where(
                col(Match.mentor_id).in_(mentor_ids), col(Match.status).in_(HOLDING)
            )
        )
    )


async def hand_over_surplus(session: AsyncSession, mentor: Mentor, policy: domain.Policy) -> None:
    """A mentor whose capacity was cut below their load hands their newest mentees over (they
    are matched again at once, or wait)."""
    await session.refresh(mentor, ["active_mentees", "capacity"])
    surplus = mentor.active_mentees - mentor.capacity
    if surplus <= 0:
        return
    newest = await session.scalars(
        select(Match)
        .where(col(Match.mentor_id) == mentor.mentor_id, col(Match.status).in_(HOLDING))
        .order_by(col(Match.matched_at).desc(), col(Match.match_id))
        .limit(surplus)
    )
    await step_back(session, list(newest), "mentor's capacity reduced", None, policy)


async def recheck_mentees(session: AsyncSession, mentor_id: str, policy: domain.Policy) -> None:
    """Check each of a mentor's matches against the hard constraints after the mentor's profile
    changed; a match that breaks one ends and the patient is matched again."""
    for match in await active_matches_of(session, [mentor_id]):
        await reconcile(session, match.episode_id, None, policy)


async def _release_mentees_of(
    session: AsyncSession, patient_ref: str, correlation_id: str | None, policy: domain.Policy
) -> None:
    mentor_ids = list(
        await session.scalars(
            select(col(Mentor.mentor_id)).where(col(Mentor.former_patient_ref) == patient_ref)
        )
    )
    active = await active_matches_of(session, mentor_ids)
    await step_back(session, active, domain.MENTOR_ADMITTED, correlation_id, policy)


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
        row = await _make_match(
            session, wanted, assignment.scored.mentor.mentor_id, why, correlation_id, policy
        )
        if row is not None:
            _leave_waitlist(session, by_entry[assignment.episode_id], "matched", correlation_id)
            matched += 1
    await session.flush()
    return matched


async def decline(
    session: AsyncSession, match_id: str, reason: str, policy: domain.Policy
) -> Match:
    """The patient declines their mentor or asks for another: the match ends (with any other
    the patient holds with that mentor), that mentor is excluded for this patient from now on,
    and another is sought at once."""
    match = await get_or_not_found(session, Match, match_id, f"match {match_id!r}")
    if match.status not in HOLDING:
        raise Conflict(
            f"the match is {match.status}; only a proposed or active match can be declined"
        )
    if await session.get(MentorExclusion, (match.patient_ref, match.mentor_id)) is None:
        session.add(
            MentorExclusion(patient_ref=match.patient_ref, mentor_id=match.mentor_id, reason=reason)
        )
    with_them = await session.scalars(
        select(Match).where(
            col(Match.patient_ref) == match.patient_ref,
            col(Match.mentor_id) == match.mentor_id,
            col(Match.status).in_(HOLDING),
        )
    )
    await step_back(session, list(with_them), reason, None, policy)
    return match


async def release_ineligible_mentors(session: AsyncSession, policy: domain.Policy) -> int:
    """Mentors on leave (by status or dates), suspended, retired or with a lapsed core
    certification step back from their active matches; their mentees are matched again.
    Returns matches ended."""
    today = utcnow().date()
    mentor_ids = list(
        await session.scalars(
            select(col(Mentor.mentor_id)).where(
                col(Mentor.active_mentees) > 0,
                or_(
                    col(Mentor.status) != domain.ACTIVE,
                    mentor_on_leave(today),
                    col(Mentor.certified_until).is_(None),
                    col(Mentor.certified_until) < today,
                ),
            )
        )
    )
    ended = 0
    for mentor_id in mentor_ids:
        mentor = await session.get(Mentor, mentor_id)
        assert mentor is not None
        status = domain.announced_status(mentor.status, leave_of(mentor), today)
        reason = (
            f"mentor {status.replace('_', ' ')}"
            if status != domain.ACTIVE
            else "mentor's certification lapsed"
        )
        active = await active_matches_of(session, [mentor_id])
        await step_back(session, active, reason, None, policy)
        ended += len(active)
    return ended
