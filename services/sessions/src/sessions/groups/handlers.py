"""Setting up peer-led groups: create (facilitators checked), change, close; meetings ahead are
planned and staffed with every change, and again by a periodic job."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from sessions import group_meetings, group_places, group_rules
from sessions.config import SessionsSettings
from sessions.group_events import publish_group
from sessions.group_schemas import GroupRequest, GroupUpdate
from sessions.models import Group, MentorProjection
from shared.db import get_or_not_found
from shared.errors import Conflict, Invalid


async def _check_facilitators(
    session: AsyncSession, mentor_ids: list[str], branch: str | None, language: str, day: date
) -> None:
    problems = []
    for mentor_id in mentor_ids:
        row = await session.get(MentorProjection, mentor_id)
        mentor = group_meetings.facilitator(row) if row else None
        reason = group_rules.unfit_to_facilitate(mentor, branch, language, day)
        if reason:
            problems.append(f"{mentor_id} {reason}")
    if problems:
        raise Invalid("cannot facilitate: " + "; ".join(problems))


async def create(
    session: AsyncSession, request: GroupRequest, settings: SessionsSettings, now: datetime
) -> Group:
    """Set up a group whose facilitators are active, certified, serve the branch (any branch
    for a network-wide group) and speak its language; its meetings for the planning horizon
    are planned and staffed."""
    group_id = request.group_id or group_rules.new_group_id()
    if await session.get(Group, group_id) is not None:
        raise Conflict(f"group {group_id!r} already exists")
    tz = ZoneInfo(settings.branch_timezone)
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
    await group_meetings.staff(
        session, await group_meetings.plan(session, group, settings, now), settings, now
    )
    publish_group(session, group)
    return group


async def update(
    session: AsyncSession,
    group_id: str,
    request: GroupUpdate,
    settings: SessionsSettings,
    now: datetime,
) -> Group:
    """Change a group: new facilitators staff the coming meetings; capacity never drops below
    those enrolled; an earlier end or closing cancels the meetings it removes."""
    group = await get_or_not_found(session, Group, group_id, f"group {group_id!r}", for_update=True)
    if group.status == "closed":
        raise Conflict("the group is closed; set up a new one")
    changes = request.model_dump(exclude_unset=True)
    tz = ZoneInfo(settings.branch_timezone)
    if request.facilitator_ids is not None:
        await _check_facilitators(
            session,
            request.facilitator_ids,
            group_meetings.facilitated_at(group),
            group.language,
            now.astimezone(tz).date(),
        )
    if request.capacity is not None:
        group_rules.check_capacity_change(group.enrolled, request.capacity)
    for name, value in changes.items():
        if value is not None or name == "ends_on":
            setattr(group, name, value)
    group.focus = group.focuses[0]
    group.version += 1
    await session.flush()
    for meeting in await group_meetings.coming(session, now, [group.group_id]):
        day = meeting.starts_at.astimezone(tz).date()
        if group.status == "closed":
            group_meetings.cancel(session, group, meeting, "the group closed", now)
        elif group.ends_on is not None and day > group.ends_on:
            group_meetings.cancel(
                session, group, meeting, f"the group ends on {group.ends_on.isoformat()}", now
            )
    if group.status == "closed":
        await group_places.close_places(session, group, now)
    else:
        await group_meetings.plan(session, group, settings, now)
        await group_meetings.staff(
            session, await group_meetings.coming(session, now, [group.group_id]), settings, now
        )
    publish_group(session, group)
    return group


async def keep_planned(session: AsyncSession, settings: SessionsSettings, now: datetime) -> int:
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
        added += len(await group_meetings.plan(session, group, settings, now))
    ids = [g.group_id for g in groups]
    changed = await group_meetings.staff(
        session, await group_meetings.coming(session, now, ids), settings, now
    )
    return added + changed
