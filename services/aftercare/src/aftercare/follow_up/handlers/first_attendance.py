"""First attendance, not just enrolment: a patient who comes to their outpatient group is
recorded as attending; one who misses the first meeting (or whose first meeting passes with
nothing recorded) gets an outreach task for their mentor."""

from datetime import datetime, timedelta, tzinfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from aftercare.alumni import handlers as alumni
from aftercare.enrolment.models import Enrolment, OutpatientGroup
from aftercare.follow_up import domain
from aftercare.follow_up.handlers import tasks
from aftercare.follow_up.options import FollowUpOptions
from shared.contracts.aftercare import AftercareFirstAttended, FirstAttendanceState
from shared.contracts.sessions import GroupMeetingState
from shared.outbox import stage

OUTREACH = "first_attendance_outreach"
SWEEP_BATCH = 500


async def expect(
    session: AsyncSession, row: Enrolment, tz: tzinfo, grace_h: float, now: datetime
) -> None:
    """Outreach is due a grace after the group's next meeting ends, unless they come."""
    group = await session.get(OutpatientGroup, row.group_id)
    if group is None or row.first_attended_at is not None:
        return
    start = domain.next_meeting(group.weekday, group.start_time, tz, now)
    row.outreach_due_at = start + timedelta(minutes=group.minutes, hours=grace_h)


async def _outreach(session: AsyncSession, row: Enrolment, now: datetime) -> None:
    """Open the mentor's outreach task once (the group's facilitator if no mentor goes on)."""
    assignee = row.mentor_id
    if assignee is None and row.group_id is not None:
        group = await session.get(OutpatientGroup, row.group_id)
        assignee = group.facilitator_ids[0] if group and group.facilitator_ids else None
    await tasks.open_once(
        session, OUTREACH, row.branch, row.patient_ref, row.episode_id, assignee, now
    )
    row.outreach_due_at = None


async def _came_first(
    session: AsyncSession,
    row: Enrolment,
    meeting: GroupMeetingState,
    correlation_id: str | None,
) -> None:
    """The patient's first meeting attended: announced, and their outreach task is done."""
    row.first_attended_at, row.outreach_due_at = meeting.starts_at, None
    row.version += 1
    state = FirstAttendanceState(
        version=row.version,
        enrolment_id=row.enrolment_id,
        episode_id=row.episode_id,
        patient_ref=row.patient_ref,
        branch=row.branch,
        group_id=meeting.group_id,
        meeting_id=meeting.meeting_id,
        first_attended_at=meeting.starts_at,
    )
    stage(
        session,
        AftercareFirstAttended.new(state, branch=row.branch, correlation_id=correlation_id),
    )
    await tasks.close_open(session, row.episode_id, OUTREACH, "attended")


async def record_meeting(
    session: AsyncSession,
    meeting: GroupMeetingState,
    options: FollowUpOptions,
    correlation_id: str | None,
) -> None:
    """Who came: the first attendance of an enrolled patient is recorded (and their outreach
    task closes); an enrolled patient absent before ever coming gets an outreach task; the
    meetings attended count towards completing aftercare."""
    if meeting.setting != "outpatient":
        return
    enrolled = await session.scalars(
        select(Enrolment)
        .where(
            col(Enrolment.group_id) == meeting.group_id,
            col(Enrolment.status) == "enrolled",
            col(Enrolment.patient_ref).in_([*meeting.attended, *meeting.absent]),
        )
        .with_for_update()
    )
    for row in list(enrolled):
        if row.patient_ref in meeting.attended:
            row.meetings_attended += 1
            if row.meetings_attended >= options.completion_meetings:
                await alumni.complete(session, row, meeting.starts_at)
        if row.first_attended_at is not None:
            continue
        if row.patient_ref in meeting.attended:
            await _came_first(session, row, meeting, correlation_id)
        else:
            await _outreach(session, row, meeting.starts_at)


async def sweep_outreach(session: AsyncSession, now: datetime) -> int:
    """Enrolled patients whose first meeting passed (with its grace) and who have not come,
    even if nobody recorded the meeting: their mentor reaches out."""
    due = await session.scalars(
        select(Enrolment)
        .where(
            col(Enrolment.status) == "enrolled",
            col(Enrolment.first_attended_at).is_(None),
            col(Enrolment.outreach_due_at) < now,
        )
        .limit(SWEEP_BATCH)
        .with_for_update(skip_locked=True)
    )
    count = 0
    for row in list(due):
        await _outreach(session, row, now)
        count += 1
    return count
