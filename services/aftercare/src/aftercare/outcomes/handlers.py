"""Outcomes per branch and period, computed from what aftercare learned from the events:
intake's stays, matching's matches, sessions' attendance, and its own enrolments,
follow-ups, readmissions, alumni and candidates."""

import statistics
from datetime import UTC, date, datetime, time, timedelta

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from aftercare.models import (
    Alumnus,
    Candidate,
    Enrolment,
    EpisodeProjection,
    FollowUp,
    MatchProjection,
    Readmission,
)


class Outcomes(BaseModel):
    """One branch's figures for a period (rates are None where nothing was there to count)."""

    model_config = ConfigDict(frozen=True)

    branch: str
    period_from: date
    period_to: date
    discharges: int
    enrolled: int
    enrolment_rate: float | None
    first_attended: int
    first_attendance_rate: float | None
    follow_up_7_day_rate: float | None
    follow_up_30_day_rate: float | None
    readmissions_30_day: int
    readmission_rate_30_day: float | None
    median_hours_admission_to_match: float | None
    alumni_joined: int
    alumni_to_mentor_conversions: int


def rate(part: int, whole: int) -> float | None:
    """`part / whole`, rounded to three places; None for nothing to count."""
    return round(part / whole, 3) if whole else None


def median_hours(waits: list[timedelta]) -> float | None:
    """The median of the waits in hours, to one place."""
    if not waits:
        return None
    return round(statistics.median(w.total_seconds() for w in waits) / 3600, 1)


def _bounds(period_from: date, period_to: date) -> tuple[datetime, datetime]:
    """The period as UTC instants: from the first day's start to the last day's end."""
    return (
        datetime.combine(period_from, time.min, tzinfo=UTC),
        datetime.combine(period_to + timedelta(days=1), time.min, tzinfo=UTC),
    )


async def compute(
    session: AsyncSession, period_from: date, period_to: date, branch: str | None = None
) -> list[Outcomes]:
    """The figures for each branch with anything in the period (or the one asked for)."""
    start, end = _bounds(period_from, period_to)
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
    discharged_ids = {e.episode_id for e in discharged}
    enrolments = {
        row.episode_id: row
        for row in await session.scalars(
            select(Enrolment).where(col(Enrolment.episode_id).in_(discharged_ids))
        )
    }
    follow_ups = list(
        await session.scalars(select(FollowUp).where(col(FollowUp.episode_id).in_(discharged_ids)))
    )
    # A readmission whose admission was cancelled (A11) never happened.
    readmitted = {
        previous
        for previous, status in await session.execute(
            select(col(Readmission.previous_episode_id), col(EpisodeProjection.status))
            .join(
                EpisodeProjection,
                col(EpisodeProjection.episode_id) == col(Readmission.episode_id),
            )
            .where(col(Readmission.previous_episode_id).in_(discharged_ids))
        )
        if status != "cancelled"
    }
    first_match: dict[str, datetime] = {}
    for episode_id, matched_at in await session.execute(
        select(col(MatchProjection.episode_id), col(MatchProjection.matched_at)).where(
            col(MatchProjection.episode_id).in_({e.episode_id for e in admitted})
        )
    ):
        if episode_id not in first_match or matched_at < first_match[episode_id]:
            first_match[episode_id] = matched_at
    alumni = list(
        await session.scalars(
            select(Alumnus).where(col(Alumnus.joined_at) >= start, col(Alumnus.joined_at) < end)
        )
    )
    certified = list(
        await session.scalars(
            select(Candidate).where(
                col(Candidate.certified_at) >= start, col(Candidate.certified_at) < end
            )
        )
    )

    branches = {e.branch for e in discharged + admitted} | {a.branch for a in alumni}
    branches |= {c.branch for c in certified}
    if branch is not None:
        branches = {branch}
    found = []
    for name in sorted(branches):
        left = [e for e in discharged if e.branch == name]
        placed = [
            enrolments[e.episode_id]
            for e in left
            if e.episode_id in enrolments and enrolments[e.episode_id].enrolled_at is not None
        ]
        came = [row for row in placed if row.first_attended_at is not None]
        ids = {e.episode_id for e in left}

        def follow_up_rate(kind: str, ids: set[str] = ids) -> float | None:
            settled = [
                f
                for f in follow_ups
                if f.episode_id in ids and f.kind == kind and f.status in ("completed", "missed")
            ]
            return rate(sum(f.status == "completed" for f in settled), len(settled))

        waits = [
            first_match[e.episode_id] - e.admitted_at
            for e in admitted
            if e.branch == name and e.episode_id in first_match and e.admitted_at is not None
        ]
        back = len(ids & readmitted)
        found.append(
            Outcomes(
                branch=name,
                period_from=period_from,
                period_to=period_to,
                discharges=len(left),
                enrolled=len(placed),
                enrolment_rate=rate(len(placed), len(left)),
                first_attended=len(came),
                first_attendance_rate=rate(len(came), len(placed)),
                follow_up_7_day_rate=follow_up_rate("day_7"),
                follow_up_30_day_rate=follow_up_rate("day_30"),
                readmissions_30_day=back,
                readmission_rate_30_day=rate(back, len(left)),
                median_hours_admission_to_match=median_hours(waits),
                alumni_joined=sum(a.branch == name for a in alumni),
                alumni_to_mentor_conversions=sum(c.branch == name for c in certified),
            )
        )
    return found
