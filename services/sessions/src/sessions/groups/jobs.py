"""Groups' timer: meetings ahead planned up to the horizon and their facilitators re-checked
(certifications run out by the calendar, not by an event)."""

from sqlalchemy.ext.asyncio import AsyncSession

from sessions.groups import handlers
from sessions.groups.options import GroupsOptions
from shared.periodic import PeriodicJob
from shared.runtime import ServiceRuntime


def group_meetings_job(runtime: ServiceRuntime, options: GroupsOptions) -> PeriodicJob:
    """The periodic planning and staffing of group meetings."""

    async def plan_groups(session: AsyncSession) -> int:
        """Plan and staff the meetings ahead; how many were added or changed."""
        return await handlers.keep_planned(session, options, options.clock.now())

    return PeriodicJob(
        "group-meetings",
        runtime,
        plan_groups,
        options.check_interval_s,
        "group meetings planned ahead and their facilitators checked",
    )
