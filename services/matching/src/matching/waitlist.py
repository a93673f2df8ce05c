"""What waitlist re-optimisation reads: the waiting patients' needs and the pool's free places."""

from datetime import date

from sqlalchemy import ColumnElement, and_, exists, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from matching import domain
from matching.models import (
    EpisodeProjection,
    Mentor,
    WaitlistEntry,
)
from matching.needs import PatientNeed, needs_of
from matching.profiles import load_profiles
from shared.contracts.envelope import utcnow


def mentor_is_admitted() -> ColumnElement[bool]:
    """SQL: the mentor is a former patient who is admitted again right now."""
    return exists().where(
        col(EpisodeProjection.patient_ref) == col(Mentor.former_patient_ref),
        col(EpisodeProjection.status) == "admitted",
    )


def mentor_on_leave(today: date) -> ColumnElement[bool]:
    """SQL: a dated leave of the mentor covers `today` (never NULL, so it can be negated)."""
    return and_(
        col(Mentor.leave_starts_on).is_not(None),
        col(Mentor.leave_ends_on).is_not(None),
        col(Mentor.leave_starts_on) <= today,
        col(Mentor.leave_ends_on) >= today,
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


async def open_pool(session: AsyncSession, today: date) -> list[domain.MentorProfile]:
    """Every mentor who could take a mentee today (three queries for the whole pool)."""
    loaded = await load_profiles(
        session,
        [
            col(Mentor.status) == domain.ACTIVE,
            col(Mentor.certified_until) >= today,
            col(Mentor.active_mentees) < col(Mentor.capacity),
            ~mentor_is_admitted(),
            ~mentor_on_leave(today),
        ],
    )
    return [profile for profile, _ in loaded]
