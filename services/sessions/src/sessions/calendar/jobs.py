"""The calendar's timer: sessions nobody recorded are marked missed, and mentors prompted."""

from sqlalchemy.ext.asyncio import AsyncSession

from sessions.calendar import handlers
from sessions.calendar.options import CalendarOptions
from shared.periodic import PeriodicJob
from shared.runtime import ServiceRuntime


def missed_sessions_job(runtime: ServiceRuntime, options: CalendarOptions) -> PeriodicJob:
    """The periodic sweep of sessions past their grace."""

    async def sweep_missed(session: AsyncSession) -> int:
        """Mark the sessions past their grace missed; how many."""
        return await handlers.sweep_missed(session, options, options.clock.now())

    return PeriodicJob(
        "missed-sessions",
        runtime,
        sweep_missed,
        options.missed_check_interval_s,
        "sessions nobody recorded marked missed; mentors prompted to follow up",
    )
