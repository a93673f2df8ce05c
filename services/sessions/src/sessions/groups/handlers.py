"""Setting up peer-led groups: create (facilitators checked), change, close; meetings ahead are
planned and staffed with every change, again by a periodic job, and when a mentor changes."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from sessions.groups import domain, meetings, places
from sessions.groups.events import publish_group
from sessions.groups.models import Group
from sessions.groups.options import GroupsOptions
from sessions.groups.schemas import GroupRequest, GroupUpdate
from sessions.projections.models import MentorProjection
from shared.contracts.matching import MentorChanged
from shared.db import get_or_not_found
from shared.errors import Conflict, Invalid
from shared.projections import apply_if_newer

MENTOR_FIELDS = (
    "mentor_id",
    "status",
    "languages",
    "branches",
    "remote_ok",
    "certified_until",
    "supervisor_id",
    "version",
)


async def _check_facilitators(
    session: AsyncSession, mentor_ids: list[str], branch: str | None, language: str, day: date
) -> None:
    problems = []
    for mentor_id in mentor_ids:
        row = await session.get(MentorProjection, mentor_id)
        mentor = meetings.facilitator(row) if row else None
        reason = domain.unfit_to_facilitate(mentor, branch, language, day)
        if reason:
            problems.append(f"{mentor_id} {reason}")
    if problems:
        raise Invalid("cannot facilitate: " + "; ".join(problems))


async def create(
    session: AsyncSession, request: GroupRequest, options: GroupsOptions, now: datetime
) -> Group:
    """Set up a group whose facilitators are active, certified, serve the branch (any branch
    for a network-wide group) and speak its language; its meetings for the planning horizon
    are planned and staffed."""
    group_id = request.group_id or domain.new_group_id()
    if await session.get(Group, group_id) is not None:
        raise Conflict(f"group {group_id!r} already exists")
    tz = ZoneInfo(options.branch_timezone)
    first = max(request.starts_on, now.astimezone(tz).date())
    at = None if request.network_wide else request.branch
    await _check_facilitators(session, request.facilitator_ids, at, request.language, first)
    group = Group(
        **request.model_dump(exclude={"group_id"}),
        group_id=group_id,
        status="active",
        created_at=now,
    )
    session.add(group)
    await session.flush()
    await meetings.staff(session, await meetings.plan(session, group, options, now), options, now)
    publish_group(session, group)
    return group


async def update(
    session: AsyncSession,
    group_id: str,
    request: GroupUpdate,
    options: GroupsOptions,
    now: datetime,
) -> Group:
    """Change a group: new facilitators staff the coming meetings; capacity never drops below
    those enrolled; an earlier end or closing cancels the meetings it removes."""
    group = await get_or_not_found(session, Group, group_id, f"group {group_id!r}", for_update=True)
    if group.status == "closed":
        raise Conflict("the group is closed; set up a new one")
    changes = request.model_dump(exclude_unset=True)
    tz = ZoneInfo(options.branch_timezone)
    if request.facilitator_ids is not None:
        await _check_facilitators(
            session,
            request.facilitator_ids,
            meetings.facilitated_at(group),
            group.language,
            now.astimezone(tz).date(),
        )
    if request.capacity is not None:
        domain.check_capacity_change(group.enrolled, request.capacity)
    for name, value in changes.items():
        if value is not None or name == "ends_on":
            setattr(group, name, value)
    group.focus = group.focuses[0]
    group.version += 1
    await session.flush()
    for meeting in await meetings.coming(session, now, [group.group_id]):
        day = meeting.starts_at.astimezone(tz).date()
        if group.status == "closed":
            meetings.cancel(session, group, meeting, "the group closed", now)
        elif group.ends_on is not None and day > group.ends_on:
            meetings.cancel(
                session, group, meeting, f"the group ends on {group.ends_on.isoformat()}", now
            )
    if group.status == "closed":
        await places.close_places(session, group, now)
    else:
        await meetings.plan(session, group, options, now)
        await meetings.staff(
            session, await meetings.coming(session, now, [group.group_id]), options, now
        )
    publish_group(session, group)
    return group


async def keep_planned(session: AsyncSession, options: GroupsOptions, now: datetime) -> int:
    """The periodic job: plan every active group's meetings up to the horizon, and re-check
    who facilitates every coming meeting (certifications run out by the calendar, not by an
    event). Returns how many meetings were added or changed."""
    groups = list(
        await session.scalars(
            select(Group)
            .where(col(Group.status) == "active")
            .order_by(col(Group.group_id))
            .with_for_update(skip_locked=True)
        )
    )
    added = 0
    for group in groups:
        added += len(await meetings.plan(session, group, options, now))
    ids = [g.group_id for g in groups]
    changed = await meetings.staff(session, await meetings.coming(session, now, ids), options, now)
    return added + changed


async def on_mentor_changed(
    session: AsyncSession, event: MentorChanged, options: GroupsOptions
) -> None:
    """Keep the mentor's state; a mentor who went on leave (or lost certification, a branch
    or a language) gets a substitute for their coming meetings, and one who is back takes
    them over again."""
    state = event.data
    if (
        await apply_if_newer(session, MentorProjection, state.mentor_id, state, MENTOR_FIELDS)
        is None
    ):
        return
    now = options.clock.now()
    own = [
        group.group_id
        for group in await session.scalars(select(Group).where(col(Group.status) == "active"))
        if state.mentor_id in group.facilitator_ids
    ]
    coming = [
        meeting
        for meeting in await meetings.coming(session, now)
        if meeting.group_id in own or state.mentor_id in meeting.facilitator_ids
    ]
    await meetings.staff(session, coming, options, now)
