"""Which patients, matches, mentors and sessions a caller reaches, in sessions' own tables, and
the roles most routes admit (groups: `sessions.groups.reach`)."""

from typing import Annotated

from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from sessions.calendar.models import PeerSession
from sessions.projections.models import EpisodeProjection, MatchProjection, MentorProjection
from shared.access import BRANCH_ROLES, Access, allow, ensure_visible, reach_over, visible
from shared.errors import NotFound

REACH = reach_over(EpisodeProjection, MatchProjection, MentorProjection)

Mentoring = Annotated[Access, allow("coordinator", "mentor")]
"""Those who work with a patient: coordinators and mentors."""
Oversight = Annotated[Access, allow("coordinator", "supervisor", "mentor")]
"""Those who follow a mentor's work: coordinators, supervisors and the mentor."""


def sessions_of(access: Access) -> ColumnElement[bool]:
    """The 1:1 sessions a caller reaches: their branch's patients', their own, their mentors'."""
    return visible(
        access, REACH, patient=col(PeerSession.patient_ref), mentor=col(PeerSession.mentor_id)
    )


async def ensure_session(session: AsyncSession, access: Access, session_id: str) -> None:
    """404 unless the caller reaches this session."""
    what = f"session {session_id!r}"
    key = col(PeerSession.session_id)
    await ensure_visible(session, key, session_id, sessions_of(access), what)


async def ensure_match(session: AsyncSession, access: Access, match_id: str) -> None:
    """404 unless the caller reaches the match (their branch's, their own, their mentor's)."""
    scope = visible(
        access, REACH, branch=col(MatchProjection.branch), mentor=col(MatchProjection.mentor_id)
    )
    await ensure_visible(
        session, col(MatchProjection.match_id), match_id, scope, f"match {match_id!r}"
    )


async def ensure_mentor(session: AsyncSession, access: Access, mentor_id: str) -> None:
    """404 unless the caller reaches the mentor: staff every mentor, a mentor themselves, a
    supervisor those they oversee."""
    if access.role in BRANCH_ROLES or access.is_local:
        return
    if access.role == "mentor":
        if access.subject != mentor_id:
            raise NotFound(f"no mentor {mentor_id!r}")
        return
    scope = visible(access, REACH, mentor=col(MentorProjection.mentor_id))
    await ensure_visible(
        session, col(MentorProjection.mentor_id), mentor_id, scope, f"mentor {mentor_id!r}"
    )
