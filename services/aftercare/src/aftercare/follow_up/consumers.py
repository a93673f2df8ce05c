"""The events follow-up consumes: sessions' meetings, with who attended."""

from collections.abc import Sequence
from functools import partial

from sqlalchemy.ext.asyncio import AsyncSession

from aftercare.follow_up.handlers import first_attendance
from aftercare.follow_up.options import FollowUpOptions
from shared.consumer import ConsumerSpec
from shared.contracts.sessions import GroupMeetingHeld
from shared.streams import stream_for


async def on_meeting_held(
    session: AsyncSession, event: GroupMeetingHeld, options: FollowUpOptions
) -> None:
    """A group meeting took place: record who came (outpatient groups only)."""
    await first_attendance.record_meeting(session, event.data, options, event.correlation_id)


def consumer_specs(options: FollowUpOptions) -> Sequence[ConsumerSpec]:
    """The durable consumer over sessions' group meetings."""
    return [
        ConsumerSpec(
            name="aftercare-meeting-events",
            stream=stream_for(GroupMeetingHeld.SUBJECT),
            filter_subject="sessions.group_meeting.>",
            handlers={GroupMeetingHeld.SUBJECT: partial(on_meeting_held, options=options)},
        ),
    ]
