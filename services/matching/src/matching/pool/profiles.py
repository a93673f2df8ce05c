"""A mentor row as the matching rules see it (`MentorProfile`), which mentors could take a
mentee today, and the mentor as other services are told of it (`matching.mentor.changed`)."""

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from sqlalchemy import ColumnElement, and_, exists, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from matching.matches.domain import MentorProfile
from matching.patients.models import EpisodeProjection
from matching.pool.domain import ACTIVE, announced_status
from matching.pool.models import Mentor, MentorBranch, MentorLanguage
from shared.contracts.envelope import utcnow
from shared.contracts.matching import POOL_BRANCH, MentorChanged, MentorState
from shared.outbox import stage


def profile_of(
    mentor: Mentor, languages: frozenset[str], branches: frozenset[str]
) -> MentorProfile:
    """What the rules need to know about a mentor row, given its languages and branches."""
    return MentorProfile(
        mentor_id=mentor.mentor_id,
        status=mentor.status,
        languages=languages,
        branches=branches,
        capacity=mentor.capacity,
        active_mentees=mentor.active_mentees,
        certified_until=mentor.certified_until,
        remote_ok=mentor.remote_ok,
        gender=mentor.gender,
        age_band=mentor.age_band,
        lived_experience=frozenset(mentor.lived_experience),
        interests=frozenset(mentor.interests),
        crisis_certified_until=mentor.crisis_certified_until,
        supervisor_id=mentor.supervisor_id,
        leave=leave_of(mentor),
    )


def leave_of(mentor: Mentor) -> tuple[date, date] | None:
    """The mentor's dated leave (first and last day), if one is set."""
    if mentor.leave_starts_on is None or mentor.leave_ends_on is None:
        return None
    return (mentor.leave_starts_on, mentor.leave_ends_on)


async def mentor_profile(session: AsyncSession, mentor: Mentor) -> MentorProfile:
    """What the rules need to know about a mentor (languages and branches included)."""
    languages = await session.scalars(
        select(col(MentorLanguage.language)).where(
            col(MentorLanguage.mentor_id) == mentor.mentor_id
        )
    )
    branches = await session.scalars(
        select(col(MentorBranch.branch)).where(col(MentorBranch.mentor_id) == mentor.mentor_id)
    )
    return profile_of(mentor, frozenset(languages), frozenset(branches))


async def load_profiles(
    session: AsyncSession, where: Sequence[ColumnElement[bool]]
) -> list[tuple[MentorProfile, int]]:
    """The profiles (and profile versions) of the mentors matching `where`: three queries
    however many there are."""
    mentors = list(await session.scalars(select(Mentor).where(*where)))
    ids = [m.mentor_id for m in mentors]
    languages: dict[str, set[str]] = defaultdict(set)
    for mentor_id, language in await session.execute(
        select(col(MentorLanguage.mentor_id), col(MentorLanguage.language)).where(
            col(MentorLanguage.mentor_id).in_(ids)
        )
    ):
        languages[mentor_id].add(language)
    branches: dict[str, set[str]] = defaultdict(set)
    for mentor_id, branch in await session.execute(
        select(col(MentorBranch.mentor_id), col(MentorBranch.branch)).where(
            col(MentorBranch.mentor_id).in_(ids)
        )
    ):
        branches[mentor_id].add(branch)
    return [
        (
            profile_of(m, frozenset(languages[m.mentor_id]), frozenset(branches[m.mentor_id])),
            m.version,
        )
        for m in mentors
    ]


async def announce(session: AsyncSession, mentor: Mentor) -> None:
    """Tell other services what they need of the mentor as it now stands (sessions staffs
    groups by it); an active mentor on a dated leave is announced as on leave."""
    profile = await mentor_profile(session, mentor)
    state = MentorState(
        version=mentor.version,
        mentor_id=mentor.mentor_id,
        status=announced_status(mentor.status, profile.leave, utcnow().date()),
        languages=sorted(profile.languages),
        branches=sorted(profile.branches),
        remote_ok=mentor.remote_ok,
        certified_until=mentor.certified_until,
        crisis_certified_until=mentor.crisis_certified_until,
        supervisor_id=mentor.supervisor_id,
        updated_at=mentor.updated_at,
    )
    stage(session, MentorChanged.new(state, branch=POOL_BRANCH))


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


async def open_pool(session: AsyncSession, today: date) -> list[MentorProfile]:
    """Every mentor who could take a mentee today (three queries for the whole pool)."""
    loaded = await load_profiles(
        session,
        [
            col(Mentor.status) == ACTIVE,
            col(Mentor.certified_until) >= today,
            col(Mentor.active_mentees) < col(Mentor.capacity),
            ~mentor_is_admitted(),
            ~mentor_on_leave(today),
        ],
    )
    return [profile for profile, _ in loaded]
