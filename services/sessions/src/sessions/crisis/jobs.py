"""Crisis timers: every crisis past its deadline alerts the next person on duty, and the count of
crises alerting nobody is refreshed with each run."""

from sqlalchemy.ext.asyncio import AsyncSession

from sessions.crisis import handlers
from sessions.crisis.options import CrisisOptions
from sessions.crisis.readiness import CrisisReach
from shared.periodic import PeriodicJob
from shared.runtime import ServiceRuntime


def escalation_job(
    runtime: ServiceRuntime, options: CrisisOptions, reach: CrisisReach
) -> PeriodicJob:
    """The periodic escalation of crises nobody acknowledged in time."""

    async def escalate(session: AsyncSession) -> int:
        """Escalate the crises past their deadline, then recount those alerting nobody."""
        escalated = await handlers.escalate_due(session, options, options.clock.now())
        await reach.refresh(session)
        return escalated

    return PeriodicJob(
        "crisis-escalations",
        runtime,
        escalate,
        options.check_interval_s,
        "crises past their deadline escalated to the next person on duty",
    )
