"""Group rows as event-carried state, staged in the outbox with the change that made them."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from sessions.groups.models import Group, GroupEnrolment, GroupMeeting
from shared.contracts.envelope import AggregateState, Event
from shared.contracts.sessions import (
    GroupChanged,
    GroupEnrolmentChanged,
    GroupEnrolmentState,
    GroupMeetingState,
    GroupState,
)
from shared.outbox import stage


def _only(contract: type[AggregateState], fields: dict[str, Any]) -> dict[str, Any]:
    """The fields the contract carries (a row holds more than travels)."""
    return {name: fields[name] for name in contract.model_fields if name in fields}


def publish_group(session: AsyncSession, group: Group) -> None:
    """Stage the group as it now stands."""
    fields = {**group.model_dump(), "start_time": group.start_time.strftime("%H:%M")}
    state = GroupState.model_validate(_only(GroupState, fields))
    stage(session, GroupChanged.new(state, branch=group.branch))


def publish_enrolment(session: AsyncSession, group: Group, enrolment: GroupEnrolment) -> None:
    """Stage a patient's place in a group as it now stands."""
    fields = {**enrolment.model_dump(), "branch": group.branch, "setting": group.setting}
    state = GroupEnrolmentState.model_validate(_only(GroupEnrolmentState, fields))
    stage(session, GroupEnrolmentChanged.new(state, branch=group.branch))


def publish_meeting(
    session: AsyncSession,
    event_cls: type[Event],
    group: Group,
    meeting: GroupMeeting,
    attended: list[str] | None = None,
    absent: list[str] | None = None,
) -> None:
    """Stage a meeting event (held with attendance, staffed, or cancelled with notice)."""
    state = GroupMeetingState.model_validate(
        _only(
            GroupMeetingState,
            {
                **meeting.model_dump(),
                "branch": group.branch,
                "setting": group.setting,
                "attended": attended or [],
                "absent": absent or [],
            },
        )
    )
    stage(session, event_cls.new(state, branch=group.branch))
