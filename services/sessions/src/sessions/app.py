"""Sessions composition root."""

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from sessions import crisis, groups, scheduling
from sessions.api import build_router
from sessions.calendar_api import build_calendar_router
from sessions.config import SessionsSettings
from sessions.consumers import consumer_specs
from sessions.crisis_api import build_crisis_router
from sessions.crisis_reach import CrisisReach
from sessions.groups_api import build_groups_router
from sessions.models import AuditRecord
from sessions.recovery_api import build_recovery_router
from sessions.supervision_api import build_supervision_router
from shared.clock import Clock, SystemClock
from shared.periodic import PeriodicJob
from shared.runtime import ServiceRuntime
from shared.web import build_app


def create_app(settings: SessionsSettings, clock: Clock | None = None) -> FastAPI:
    """The sessions app: consumes matches, mentors and stays; schedules introductions, runs
    peer-led groups, records sessions, and escalates crisis flags along each branch's duty
    chain."""
    clock = clock or SystemClock()
    runtime = ServiceRuntime(
        "sessions",
        settings,
        env_prefix="SESSIONS_",
        migrations_package="sessions",
        consumer_specs=consumer_specs(settings, clock),
    )

    reach = CrisisReach(runtime, settings)

    async def escalate(session: AsyncSession) -> int:
        escalated = await crisis.escalate_due(session, settings, clock.now())
        await reach.refresh(session)
        return escalated

    async def sweep_missed(session: AsyncSession) -> int:
        return await scheduling.sweep_missed(session, settings, clock.now())

    async def plan_groups(session: AsyncSession) -> int:
        return await groups.keep_planned(session, settings, clock.now())

    runtime.listeners += [
        reach,  # first: the service refuses to start while a branch has nobody to alert
        PeriodicJob(
            "crisis-escalations",
            runtime,
            escalate,
            settings.crisis_check_interval_s,
            "crises past their deadline escalated to the next person on duty",
        ),
        PeriodicJob(
            "missed-sessions",
            runtime,
            sweep_missed,
            settings.missed_check_interval_s,
            "sessions nobody recorded marked missed; mentors prompted to follow up",
        ),
        PeriodicJob(
            "group-meetings",
            runtime,
            plan_groups,
            settings.group_check_interval_s,
            "group meetings planned ahead and their facilitators checked",
        ),
    ]
    return build_app(
        runtime,
        audit_model=AuditRecord,
        title="Saathi sessions",
        description="1:1 sessions, peer-led groups, recovery goals and crisis escalation.",
        routers=[
            build_router(runtime),
            build_calendar_router(runtime, settings, clock),
            build_crisis_router(runtime, settings, clock, reach),
            build_groups_router(runtime, settings, clock),
            build_recovery_router(runtime, clock),
            build_supervision_router(runtime, clock),
        ],
    )
