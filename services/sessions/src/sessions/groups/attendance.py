"""Recording a group meeting as held, with who came: every enrolled patient is recorded as
present or absent, and the held event carries both lists (aftercare follows attendance)."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from sessions.groups.events import publish_meeting
from sessions.groups.models import Group, GroupAttendance, GroupEnrolment, GroupMeeting
from shared.contracts.sessions import GroupMeetingHeld
from shared.db import get_or_not_found
from shared.errors import Conflict, Invalid


async def record(
    session: AsyncSession, meeting_id: str, attended: list[str], now: datetime
) -> tuple[GroupMeeting, list[GroupAttendance]]:
    """Mark a meeting that has started as held; `attended` must be enrolled patients."""
    meeting = await get_or_not_found(
        session, GroupMeeting, meeting_id, f"group meeting {meeting_id!r}", for_update=True
    )
    if meeting.status != "scheduled":
        raise Conflict(f"the meeting is {meeting.status}; only a scheduled meeting can be held")
    if meeting.starts_at > now:
        raise Conflict("the meeting has not started yet; record attendance once it has")
    group = await get_or_not_found(session, Group, meeting.group_id, f"group {meeting.group_id!r}")
    enrolled = set(
        await session.scalars(
            select(col(GroupEnrolment.patient_ref)).where(
                col(GroupEnrolment.group_id) == group.group_id,
                col(GroupEnrolment.status) == "enrolled",
            )
        )
    )
    strangers = sorted(set(attended) - enrolled)
    if strangers:
        raise Invalid(f"not enrolled in this group: {', '.join(strangers)} (enrol them first)")
    present = sorted(set(attended))
    absent = sorted(enrolled - set(attended))
    rows = [
        GroupAttendance(meeting_id=meeting_id, patient_ref=ref, attended=ref in present)
        for ref in sorted(enrolled)
    ]
    session.add_all(rows)
    meeting.status, meeting.held_at = "held", now
    meeting.version += 1
    await session.flush()
    publish_meeting(session, GroupMeetingHeld, group, meeting, present, absent)
    return meeting, rows


async def attendance(session: AsyncSession, meeting_id: str) -> list[GroupAttendance]:
    """Who came to a held meeting and who did not."""
    rows = await session.scalars(
        select(GroupAttendance)
        .where(col(GroupAttendance.meeting_id) == meeting_id)
        .order_by(col(GroupAttendance.patient_ref))
    )
    return list(rows)
