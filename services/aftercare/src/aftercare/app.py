"""Aftercare composition root."""

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from aftercare import attendance, follow_ups
from aftercare.alumni_api import build_alumni_router
from aftercare.api import build_router
from aftercare.config import AftercareSettings
from aftercare.consumers import consumer_specs
from aftercare.follow_up_api import build_follow_up_router
from aftercare.models import AuditRecord
from aftercare.outcomes_api import build_outcomes_router
from shared.clock import Clock, SystemClock
from shared.periodic import PeriodicJob
from shared.runtime import ServiceRuntime
from shared.web import build_app


def create_app(settings: AftercareSettings, clock: Clock | None = None) -> FastAPI:
    """The aftercare app: enrols discharged patients in sessions' outpatient groups on its
    own, follows first attendance and the 7- and 30-day follow-ups, links readmissions, and
    keeps the tasks that keep patients from falling through the cracks."""
    clock = clock or SystemClock()
    runtime = ServiceRuntime(
        "aftercare",
        settings,
        env_prefix="AFTERCARE_",
        migrations_package="aftercare",
        consumer_specs=consumer_specs(settings),
    )

    async def missed_follow_ups(session: AsyncSession) -> int:
        return await follow_ups.sweep_missed(session, clock.now())

    async def outreach(session: AsyncSession) -> int:
        return await attendance.sweep_outreach(session, clock.now())

    runtime.listeners += [
        PeriodicJob(
            "follow-up-windows",
            runtime,
            missed_follow_ups,
            settings.check_interval_s,
            "follow-ups whose window closed marked missed, with a task",
        ),
        PeriodicJob(
            "first-attendance",
            runtime,
            outreach,
            settings.check_interval_s,
            "patients who did not come to their first meeting given an outreach task",
        ),
    ]
    return build_app(
        runtime,
        audit_model=AuditRecord,
        title="Saathi aftercare",
        description="Outpatient enrolment after discharge, follow-ups, readmissions and tasks.",
        routers=[
            build_router(runtime, settings),
            build_follow_up_router(runtime, settings, clock),
            build_alumni_router(runtime, settings, clock),
            build_outcomes_router(runtime),
        ],
    )
