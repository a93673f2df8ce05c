"""Matching's mentors as sessions knows them: applied from `matching.mentor.changed`, and the
coming group meetings they facilitate (or could again) staffed anew."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from sessions import group_meetings
from sessions.config import SessionsSettings
from sessions.models import Group, MentorProjection
from shared.clock import Clock
from shared.contracts.matching import MentorChanged
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


async def on_mentor_changed(
    session: AsyncSession, event: MentorChanged, settings: SessionsSettings, clock: Clock
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
    now = clock.now()
    own = [
        group.group_id
        for group in await session.scalars(select(Group).where(col(Group.status) == "active"))
        if state.mentor_id in group.facilitator_ids
    ]
    meetings = [
        meeting
        for meeting in await group_meetings.coming(session, now)
        if meeting.group_id in own or state.mentor_id in meeting.facilitator_ids
    ]
    await group_meetings.staff(session, meetings, settings, now)


async def supervised_by(session: AsyncSession, supervisor_id: str) -> list[MentorProjection]:
    """The mentors a supervisor oversees (as matching last said)."""
    rows = await session.scalars(
        select(MentorProjection)
        .where(col(MentorProjection.supervisor_id) == supervisor_id)
        .order_by(col(MentorProjection.mentor_id))
    )
    return list(rows)
