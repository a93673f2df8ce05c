"""Which groups, rosters and meetings a caller reaches: branch staff their branch's groups and
the network-wide ones; a group's people only to its branch's staff, its facilitators and their
supervisors."""

from typing import Any

from sqlalchemy import ColumnElement, or_, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from sessions.groups.models import Group, GroupEnrolment, GroupMeeting
from sessions.reach import REACH
from shared.access import BRANCH_ROLES, Access, visible
from shared.db import get_or_not_found
from shared.errors import NotFound


def groups_of(access: Access) -> ColumnElement[bool]:
    """Groups listed to a caller: branch staff see their branch's and the network-wide ones;
    mentors and supervisors every branch's (a group's time and focus are not patient data)."""
    if access.role in BRANCH_ROLES and not access.reaches_every_patient:
        return or_(col(Group.branch) == access.branch, col(Group.network_wide))
    return true()


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


async def find_group(session: AsyncSession, access: Access, group_id: str) -> Group:
    """The group, or 404 when the caller does not reach it."""
    group = await session.get(Group, group_id)
    if group is None or not (
        access.role not in BRANCH_ROLES or group.network_wide or access.reaches_branch(group.branch)
    ):
        raise NotFound(f"no group {group_id!r}")
    return group


def people_branch(group: Group) -> str:
    """Whose staff see everyone in a group: its branch's, and for a network-wide group (people
    of every branch) only staff of every branch ("" is no branch)."""
    return "" if group.network_wide else group.branch


async def roster_scope(session: AsyncSession, access: Access, group_id: str) -> Any:
    """Who on a group's roster the caller sees: everyone, for those who see its people; for a
    network-wide group, any branch's staff see the patients they reach."""
    group = await find_group(session, access, group_id)
    if group.network_wide and access.role in BRANCH_ROLES:
        return visible(access, REACH, patient=col(GroupEnrolment.patient_ref))
    what = f"group {group_id!r}"
    await ensure_group_people(session, access, group.branch, group.facilitator_ids, what)
    return true()


async def ensure_roster(session: AsyncSession, access: Access, group_id: str) -> Group:
    """The group, or 404 unless the caller may see who is in it."""
    group = await find_group(session, access, group_id)
    await ensure_group_people(
        session, access, group.branch, group.facilitator_ids, f"group {group_id!r}"
    )
    return group


async def find_meeting(session: AsyncSession, access: Access, meeting_id: str) -> GroupMeeting:
    """The meeting, or 404 unless the caller may see who is in it."""
    what = f"group meeting {meeting_id!r}"
    row = await get_or_not_found(session, GroupMeeting, meeting_id, what)
    group = await session.get(Group, row.group_id)
    branch = people_branch(group) if group is not None else ""
    facilitators = [*row.facilitator_ids, *(group.facilitator_ids if group is not None else [])]
    await ensure_group_people(session, access, branch, facilitators, what)
    return row
