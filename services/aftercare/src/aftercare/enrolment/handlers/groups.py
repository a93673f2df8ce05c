"""Sessions' outpatient groups as aftercare knows them: a new group or more places fill the
waitlist; patients of a closed group are moved to the next best one (or wait)."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from aftercare.enrolment.handlers.placement import fill_waitlist, free_seat, place_or_wait
from aftercare.enrolment.models import Enrolment, OutpatientGroup
from aftercare.enrolment.options import EnrolmentOptions
from shared.contracts.sessions import GroupState
from shared.projections import apply_if_newer

GROUP_FIELDS = (
    "group_id",
    "title",
    "branch",
    "language",
    "focus",
    "capacity",
    "weekday",
    "start_time",
    "minutes",
    "facilitator_ids",
    "status",
    "version",
)


async def apply_group_change(
    session: AsyncSession,
    state: GroupState,
    options: EnrolmentOptions,
    correlation_id: str | None,
) -> None:
    """Apply an outpatient group's new state (inpatient and alumni groups are not ours)."""
    if state.setting != "outpatient":
        return
    group = await apply_if_newer(session, OutpatientGroup, state.group_id, state, GROUP_FIELDS)
    if group is None:
        return
    if group.status != "active":
        placed = await session.scalars(
            select(Enrolment).where(
                col(Enrolment.group_id) == group.group_id, col(Enrolment.status) == "enrolled"
            )
        )
        for row in list(placed):
            await free_seat(session, group.group_id)
            await place_or_wait(session, row, options, correlation_id)
    await fill_waitlist(session, options, correlation_id)
