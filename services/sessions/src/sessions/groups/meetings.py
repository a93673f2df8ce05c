"""Group meetings ahead: planned from each group's weekly time, and staffed. A facilitator
who cannot make a meeting (on leave, certification lapsed …) is replaced by a substitute
who can; with nobody, the meeting is cancelled and the patients told with the notice left."""

from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from sessions.calendar import domain as calendar_rules
from sessions.calendar.models import PeerSession
from sessions.groups import domain
from sessions.groups.events import publish_meeting
from sessions.groups.models import Group, GroupMeeting
from sessions.groups.options import GroupsOptions
from sessions.projections.models import MentorProjection
from shared.contracts.sessions import GroupMeetingCancelled, GroupMeetingStaffed

# 1:1 sessions are never longer than this, so earlier ones cannot overlap a meeting.
LONGEST_SESSION = timedelta(hours=10)


def facilitator(row: MentorProjection) -> domain.Facilitator:
    """What the group rules need of a mentor known here."""
    return domain.Facilitator(
        row.mentor_id,
        row.status,
        frozenset(row.languages),
        frozenset(row.branches),
        row.certified_until,
    )


def facilitated_at(group: Group) -> str | None:
    """The branch a group's facilitators must serve (None: a network-wide group, any)."""
    return None if group.network_wide else group.branch


def _weekly(group: Group) -> domain.Weekly:
    return domain.Weekly(group.weekday, group.start_time, group.starts_on, group.ends_on)


async def plan(
    session: AsyncSession, group: Group, options: GroupsOptions, now: datetime
) -> list[GroupMeeting]:
    """Add the group's meetings up to the planning horizon that are not planned yet; the new
    ones are staffed by the caller."""
    if group.status != "active":
        return []
    tz = ZoneInfo(options.branch_timezone)
    starts = domain.meeting_starts(
        _weekly(group), tz, now, now + timedelta(days=options.horizon_days)
    )
    planned = set(
        await session.scalars(
            select(col(GroupMeeting.starts_at)).where(
                col(GroupMeeting.group_id) == group.group_id,
                col(GroupMeeting.starts_at) >= now,
            )
        )
    )
    new = [
        GroupMeeting(
            meeting_id=domain.new_meeting_id(),
            group_id=group.group_id,
            starts_at=start,
            minutes=group.minutes,
            facilitator_ids=list(group.facilitator_ids),
            status="scheduled",
        )
        for start in starts
        if start not in planned
    ]
    session.add_all(new)
    await session.flush()
    return new


async def coming(
    session: AsyncSession, now: datetime, group_ids: list[str] | None = None
) -> list[GroupMeeting]:
    """Scheduled meetings that have not started, soonest first (of some groups, or all)."""
    query = select(GroupMeeting).where(
        col(GroupMeeting.status) == "scheduled", col(GroupMeeting.starts_at) > now
    )
    if group_ids is not None:
        query = query.where(col(GroupMeeting.group_id).in_(group_ids))
    return list(await session.scalars(query.order_by(col(GroupMeeting.starts_at))))


class _Pool:
    """The mentors and bookings staffing decisions read, loaded once per run."""

    def __init__(
        self,
        mentors: dict[str, domain.Facilitator],
        sessions: list[tuple[str, calendar_rules.Booking]],
        meetings: list[GroupMeeting],
    ) -> None:
        self.mentors = mentors
        self._sessions: dict[str, list[calendar_rules.Booking]] = {}
        for who, booking in sessions:
            self._sessions.setdefault(who, []).append(booking)
        self._meetings = meetings
        self.load = Counter(m for meeting in meetings for m in meeting.facilitator_ids)

    def free(self, mentor_id: str, meeting: GroupMeeting) -> bool:
        """No 1:1 session and no other group meeting of the mentor overlaps the meeting."""
        start = meeting.starts_at
        for booking in self._sessions.get(mentor_id, []):
            if calendar_rules.overlaps(start, meeting.minutes, booking):
                return False
        return not any(
            other.meeting_id != meeting.meeting_id
            and mentor_id in other.facilitator_ids
            and calendar_rules.overlaps(
                start,
                meeting.minutes,
                calendar_rules.Booking(other.meeting_id, other.starts_at, other.minutes),
            )
            for other in self._meetings
        )


async def _pool(session: AsyncSession, now: datetime) -> _Pool:
    mentors = {
        row.mentor_id: facilitator(row) for row in await session.scalars(select(MentorProjection))
    }
    booked = await session.scalars(
        select(PeerSession).where(
            col(PeerSession.status) == "scheduled",
            col(PeerSession.scheduled_for) > now - LONGEST_SESSION,
        )
    )
    sessions = [
        (
            row.mentor_id,
            calendar_rules.Booking(row.session_id, row.scheduled_for, row.planned_minutes),
        )
        for row in booked
    ]
    return _Pool(mentors, sessions, await coming(session, now))


async def staff(
    session: AsyncSession,
    meetings: list[GroupMeeting],
    options: GroupsOptions,
    now: datetime,
) -> int:
    """Check who facilitates each meeting; a change is published (a substitute stands in, the
    group's own facilitator is back, or nobody can and the meeting is cancelled). Returns how
    many meetings changed."""
    if not meetings:
        return 0
    pool = await _pool(session, now)
    tz = ZoneInfo(options.branch_timezone)
    groups = {
        g.group_id: g
        for g in await session.scalars(
            select(Group).where(col(Group.group_id).in_({m.group_id for m in meetings}))
        )
    }
    changed = 0
    for meeting in meetings:
        group = groups[meeting.group_id]
        if await _restaff(session, pool, group, meeting, tz, now):
            changed += 1
    return changed


async def _restaff(
    session: AsyncSession,
    pool: _Pool,
    group: Group,
    meeting: GroupMeeting,
    tz: ZoneInfo,
    now: datetime,
) -> bool:
    day = meeting.starts_at.astimezone(tz).date()

    def unfit(mentor_id: str) -> str | None:
        return domain.unfit_to_facilitate(
            pool.mentors.get(mentor_id), facilitated_at(group), group.language, day
        )

    def fit(mentor_id: str) -> bool:
        # The group's own facilitators keep their meeting time free; a substitute must be.
        own = mentor_id in group.facilitator_ids
        return unfit(mentor_id) is None and (own or pool.free(mentor_id, meeting))

    candidates = sorted(pool.mentors, key=lambda m: (pool.load[m], m))
    staffing = domain.staff(
        group.facilitator_ids, meeting.facilitator_ids, meeting.substitute, fit, candidates
    )
    if staffing.cancelled:
        why = "; ".join(f"{m} {unfit(m) or 'is busy'}" for m in group.facilitator_ids)
        cancel(session, group, meeting, f"no facilitator and no substitute ({why})", now)
        return True
    if (
        list(staffing.facilitator_ids) == list(meeting.facilitator_ids)
        and staffing.substitute == meeting.substitute
    ):
        return False
    for mentor_id in meeting.facilitator_ids:
        pool.load[mentor_id] -= 1
    for mentor_id in staffing.facilitator_ids:
        pool.load[mentor_id] += 1
    meeting.facilitator_ids = list(staffing.facilitator_ids)
    meeting.substitute = staffing.substitute
    meeting.version += 1
    publish_meeting(session, GroupMeetingStaffed, group, meeting)
    return True


def cancel(
    session: AsyncSession, group: Group, meeting: GroupMeeting, reason: str, now: datetime
) -> None:
    """Cancel a coming meeting and tell the enrolled patients, with the notice left."""
    meeting.status = "cancelled"
    meeting.cancel_reason = reason[:200]
    meeting.notice_hours = domain.notice_hours(meeting.starts_at, now)
    meeting.version += 1
    publish_meeting(session, GroupMeetingCancelled, group, meeting)
