"""Outcomes per branch and period, computed from what aftercare learned from the events:
intake's stays, matching's matches, sessions' attendance, and its own enrolments,
follow-ups, readmissions, alumni and candidates; and the aftercare funnel per branch and
month."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from aftercare.alumni.models import Alumnus, Candidate
from aftercare.enrolment.models import Enrolment, EpisodeProjection, MatchProjection, Readmission
from aftercare.follow_up.models import FollowUp
from aftercare.outcomes.domain import (
    earliest_by_key,
    median_hours,
    month_of,
    months_bounds,
    months_from,
    period_bounds,
    rate,
)
from aftercare.outcomes.schemas import FunnelMonth, Outcomes


@dataclass(frozen=True)
class PeriodFacts:
    """What happened in the period, every branch together."""

    period_from: date
    period_to: date
    discharged: list[EpisodeProjection]
    admitted: list[EpisodeProjection]
    enrolments: dict[str, Enrolment]  # by episode id
    follow_ups: list[FollowUp]
    readmitted: set[str]  # episode ids of the discharges followed by a readmission
    first_match: dict[str, datetime]  # by episode id
    alumni: list[Alumnus]
    certified: list[Candidate]

    def branches(self) -> set[str]:
        """Every branch with anything in the period."""
        found = {e.branch for e in self.discharged + self.admitted}
        return found | {a.branch for a in self.alumni} | {c.branch for c in self.certified}


async def _stays(
    session: AsyncSession, start: datetime, end: datetime
) -> tuple[list[EpisodeProjection], list[EpisodeProjection]]:
    """The stays discharged in the period, and those admitted in it."""
    in_period = (col(EpisodeProjection.discharged_at) >= start) & (
        col(EpisodeProjection.discharged_at) < end
    ) | (col(EpisodeProjection.admitted_at) >= start) & (col(EpisodeProjection.admitted_at) < end)
    episodes = list(await session.scalars(select(EpisodeProjection).where(in_period)))
    discharged = [
        e
        for e in episodes
        if e.status == "discharged" and e.discharged_at and start <= e.discharged_at < end
    ]
    admitted = [e for e in episodes if e.admitted_at and start <= e.admitted_at < end]
    return discharged, admitted


async def _readmitted(session: AsyncSession, discharged_ids: set[str]) -> set[str]:
    """The discharges a readmission followed."""
    rows = await session.execute(
        select(col(Readmission.previous_episode_id), col(EpisodeProjection.status))
        .join(EpisodeProjection, col(EpisodeProjection.episode_id) == col(Readmission.episode_id))
        .where(col(Readmission.previous_episode_id).in_(discharged_ids))
    )
    # A readmission whose admission was cancelled (A11) never happened.
    return {previous for previous, status in rows if status != "cancelled"}


async def _first_matches(session: AsyncSession, admitted_ids: set[str]) -> dict[str, datetime]:
    """When each stay admitted in the period was first matched."""
    rows = await session.execute(
        select(col(MatchProjection.episode_id), col(MatchProjection.matched_at)).where(
            col(MatchProjection.episode_id).in_(admitted_ids)
        )
    )
    return earliest_by_key((episode_id, matched_at) for episode_id, matched_at in rows)


async def _load(session: AsyncSession, period_from: date, period_to: date) -> PeriodFacts:
    """Read what the figures are computed from."""
    start, end = period_bounds(period_from, period_to)
    discharged, admitted = await _stays(session, start, end)
    discharged_ids = {e.episode_id for e in discharged}
    enrolments = await session.scalars(
        select(Enrolment).where(col(Enrolment.episode_id).in_(discharged_ids))
    )
    follow_ups = await session.scalars(
        select(FollowUp).where(col(FollowUp.episode_id).in_(discharged_ids))
    )
    alumni = await session.scalars(
        select(Alumnus).where(col(Alumnus.joined_at) >= start, col(Alumnus.joined_at) < end)
    )
    certified = await session.scalars(
        select(Candidate).where(
            col(Candidate.certified_at) >= start, col(Candidate.certified_at) < end
        )
    )
    return PeriodFacts(
        period_from=period_from,
        period_to=period_to,
        discharged=discharged,
        admitted=admitted,
        enrolments={row.episode_id: row for row in enrolments},
        follow_ups=list(follow_ups),
        readmitted=await _readmitted(session, discharged_ids),
        first_match=await _first_matches(session, {e.episode_id for e in admitted}),
        alumni=list(alumni),
        certified=list(certified),
    )


def _follow_up_rate(facts: PeriodFacts, ids: set[str], kind: str) -> float | None:
    """Completed among the settled (completed or missed) follow-ups of this kind."""
    settled = [
        f
        for f in facts.follow_ups
        if f.episode_id in ids and f.kind == kind and f.status in ("completed", "missed")
    ]
    return rate(sum(f.status == "completed" for f in settled), len(settled))


def _branch_outcomes(facts: PeriodFacts, branch: str) -> Outcomes:
    """One branch's figures."""
    left = [e for e in facts.discharged if e.branch == branch]
    placed = [
        facts.enrolments[e.episode_id]
        for e in left
        if e.episode_id in facts.enrolments
        and facts.enrolments[e.episode_id].enrolled_at is not None
    ]
    came = [row for row in placed if row.first_attended_at is not None]
    ids = {e.episode_id for e in left}
    waits = [
        facts.first_match[e.episode_id] - e.admitted_at
        for e in facts.admitted
        if e.branch == branch and e.episode_id in facts.first_match and e.admitted_at is not None
    ]
    back = len(ids & facts.readmitted)
    return Outcomes(
        branch=branch,
        period_from=facts.period_from,
        period_to=facts.period_to,
        discharges=len(left),
        enrolled=len(placed),
        enrolment_rate=rate(len(placed), len(left)),
        first_attended=len(came),
        first_attendance_rate=rate(len(came), len(placed)),
        follow_up_7_day_rate=_follow_up_rate(facts, ids, "day_7"),
        follow_up_30_day_rate=_follow_up_rate(facts, ids, "day_30"),
        readmissions_30_day=back,
        readmission_rate_30_day=rate(back, len(left)),
        median_hours_admission_to_match=median_hours(waits),
        alumni_joined=sum(a.branch == branch for a in facts.alumni),
        alumni_to_mentor_conversions=sum(c.branch == branch for c in facts.certified),
    )


async def compute(
    session: AsyncSession, period_from: date, period_to: date, branch: str | None = None
) -> list[Outcomes]:
    """The figures for each branch with anything in the period (or the one asked for)."""
    facts = await _load(session, period_from, period_to)
    branches = {branch} if branch is not None else facts.branches()
    return [_branch_outcomes(facts, name) for name in sorted(branches)]


def _funnel_row(
    branch: str,
    month: str,
    left: list[EpisodeProjection],
    enrolments: dict[str, Enrolment],
    follow_ups: Counter[tuple[str, str, str]],
    readmitted: set[str],
) -> FunnelMonth:
    """One branch's funnel for the stays it discharged in one month."""
    ids = {e.episode_id for e in left}
    rows = [enrolments[i] for i in ids if i in enrolments]
    placed = [row for row in rows if row.enrolled_at is not None]

    def settled(kind: str, status: str) -> int:
        return sum(follow_ups[(i, kind, status)] for i in ids)

    return FunnelMonth(
        branch=branch,
        month=month,
        discharged=len(left),
        enrolled=len(placed),
        waitlisted=sum(row.enrolled_at is None and row.status == "waitlisted" for row in rows),
        first_attended=sum(row.first_attended_at is not None for row in placed),
        follow_up_7_day_completed=settled("day_7", "completed"),
        follow_up_7_day_missed=settled("day_7", "missed"),
        follow_up_7_day_due=settled("day_7", "due"),
        follow_up_30_day_completed=settled("day_30", "completed"),
        follow_up_30_day_missed=settled("day_30", "missed"),
        follow_up_30_day_due=settled("day_30", "due"),
        readmitted_30_day=len(ids & readmitted),
    )


async def funnel(
    session: AsyncSession, first: str, last: str, zone: tzinfo, branch: str | None = None
) -> list[FunnelMonth]:
    """The funnel of each branch that discharged anyone in the months (or the one asked for),
    a row for every month from `first` to `last`, by the month of discharge in `zone`."""
    start, end = months_bounds(first, last, zone)
    discharged, _ = await _stays(session, start, end)
    ids = {e.episode_id for e in discharged}
    enrolments = await session.scalars(select(Enrolment).where(col(Enrolment.episode_id).in_(ids)))
    follow_ups = await session.execute(
        select(col(FollowUp.episode_id), col(FollowUp.kind), col(FollowUp.status)).where(
            col(FollowUp.episode_id).in_(ids)
        )
    )
    by_episode = {row.episode_id: row for row in enrolments}
    counted = Counter((episode_id, kind, status) for episode_id, kind, status in follow_ups)
    readmitted = await _readmitted(session, ids)
    stays: dict[tuple[str, str], list[EpisodeProjection]] = {}
    for stay in discharged:
        assert stay.discharged_at is not None  # only discharged stays are here
        stays.setdefault((stay.branch, month_of(stay.discharged_at, zone)), []).append(stay)
    branches = {branch} if branch is not None else {e.branch for e in discharged}
    return [
        _funnel_row(name, month, stays.get((name, month), []), by_episode, counted, readmitted)
        for name in sorted(branches)
        for month in months_from(first, last)
    ]
