"""A mentor row as the matching rules see it (`domain.MentorProfile`)."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from matching import domain
from matching.models import Mentor, MentorBranch, MentorLanguage


def profile_of(
    mentor: Mentor, languages: frozenset[str], branches: frozenset[str]
) -> domain.MentorProfile:
    """What the rules need to know about a mentor row, given its languages and branches."""
    return domain.MentorProfile(
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
    )


async def mentor_profile(session: AsyncSession, mentor: Mentor) -> domain.MentorProfile:
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
