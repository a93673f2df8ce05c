"""Which patients, mentors and groups a caller reaches, in sessions' own tables."""

from sqlalchemy import ColumnElement, or_, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from sessions.models import EpisodeProjection, Group, MatchProjection, MentorProjection
from shared.access import BRANCH_ROLES, Access, ensure_visible, reach_over, visible
from shared.errors import NotFound

REACH = reach_over(EpisodeProjection, MatchProjection, MentorProjection)


def groups_of(access: Access) -> ColumnElement[bool]:
    """Groups listed to a caller: branch staff see their branch's and the network-wide ones;
    mentors and supervisors every branch's (a group's time and focus are not patient data)."""
    if access.role in BRANCH_ROLES and not access.reaches_every_patient:
        return or_(col(Group.branch) == access.branch, col(Group.network_wide))
    return true()


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


async def ensure_group_people(
    session: AsyncSession, access: Access, branch: str, facilitators: list[str], what: str
) -> None:
    """404 unless the caller may see who is in a group or meeting: branch staff of its branch,
    its facilitators, or a supervisor of one of them."""
    if access.is_local or access.reaches_branch(branch):
        return
    if access.role == "mentor" and access.subject in facilitators:
        return
    if access.role == "supervisor" and REACH.mentors_of is not None:
        supervised = set(await session.scalars(REACH.mentors_of(access.subject)))
        if supervised.intersection(facilitators):
            return
    raise NotFound(f"no {what}")
