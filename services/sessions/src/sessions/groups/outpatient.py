"""What aftercare decides and sessions follows: who goes to which outpatient group (aftercare
judges its capacity; sessions keeps the roster meetings and attendance are recorded against),
and who joined the alumni, whom alumni groups are for."""

from sqlalchemy.ext.asyncio import AsyncSession

from sessions.groups.models import AftercarePlace, AlumnusProjection, Group, GroupEnrolment
from sessions.groups.places import end_place, join
from shared.clock import Clock
from shared.contracts.envelope import Event
from shared.projections import apply_if_newer

PLACE_FIELDS = ("enrolment_id", "patient_ref", "group_id", "status", "version")


async def on_enrolment(session: AsyncSession, event: Event, clock: Clock) -> None:
    """Follow an aftercare enrolment: on the new group's roster, off the old one's."""
    state = event.data
    before = await session.get(AftercarePlace, state.enrolment_id, with_for_update=True)
    was_in = before.group_id if before is not None and before.status == "enrolled" else None
    if (
        await apply_if_newer(session, AftercarePlace, state.enrolment_id, state, PLACE_FIELDS)
        is None
    ):
        return
    now_in = state.group_id if state.status == "enrolled" else None
    if was_in == now_in:
        return
    now = clock.now()
    if was_in is not None:
        group = await session.get(Group, was_in, with_for_update=True)
        place = await session.get(GroupEnrolment, (was_in, state.patient_ref))
        if group is not None and place is not None and place.status == "enrolled":
            end_place(session, group, place, state.reason or "moved by aftercare", now)
    if now_in is not None:
        group = await session.get(Group, now_in, with_for_update=True)
        if group is not None:
            await join(session, group, state.patient_ref, now)


async def on_alumnus(session: AsyncSession, event: Event) -> None:
    """Remember that the patient joined the alumni."""
    await apply_if_newer(
        session, AlumnusProjection, event.data.patient_ref, event.data, ("patient_ref", "version")
    )
