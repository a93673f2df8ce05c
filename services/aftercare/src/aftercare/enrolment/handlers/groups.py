"""Sessions' outpatient groups as aftercare knows them: a new group or more places fill the
waitlist; patients of a closed group are moved to the next best one (or wait)."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from aftercare import handlers
from aftercare.config import AftercareSettings
from aftercare.models import Enrolment, OutpatientGroup
from shared.contracts.sessions import GroupChanged
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


async def on_group_changed(
    session: AsyncSession, event: GroupChanged, settings: AftercareSettings
) -> None:
    """Apply an outpatient group's new state (inpatient and alumni groups are not ours)."""
    if event.data.setting != "outpatient":
        return
    group = await apply_if_newer(
        session, OutpatientGroup, event.data.group_id, event.data, GROUP_FIELDS
    )
    if group is None:
        return
    if group.status != "active":
        placed = await session.scalars(
            select(Enrolment).where(
                col(Enrolment.group_id) == group.group_id, col(Enrolment.status) == "enrolled"
            )
        )
        for row in list(placed):
            await handlers.free_seat(session, group.group_id)
            await handlers.place_or_wait(session, row, settings, event.correlation_id)
    await handlers.fill_waitlist(session, settings, event.correlation_id)
