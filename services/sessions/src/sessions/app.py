"""Sessions composition root."""

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from sessions import crisis
from sessions.api import build_router
from sessions.config import SessionsSettings
from sessions.consumers import consumer_specs
from sessions.crisis_api import build_crisis_router
from shared.clock import Clock, SystemClock
from shared.periodic import PeriodicJob
from shared.runtime import ServiceRuntime
from shared.web import build_app


def create_app(settings: SessionsSettings, clock: Clock | None = None) -> FastAPI:
    """The sessions app: consumes matches, schedules introductions, records sessions, and
    escalates crisis flags along each branch's duty chain."""
    clock = clock or SystemClock()
    runtime = ServiceRuntime(
        "sessions",
        settings,
        env_prefix="SESSIONS_",
        migrations_package="sessions",
        consumer_specs=consumer_specs(settings),
    )

    async def escalate(session: AsyncSession) -> int:
        return await crisis.escalate_due(session, settings, clock.now())

    runtime.listeners.append(
        PeriodicJob(
            "crisis-escalations",
            runtime,
            escalate,
            settings.crisis_check_interval_s,
            "crises past their deadline escalated to the next person on duty",
        )
    )
    return build_app(
        runtime,
        title="Saathi sessions",
        description="1:1 peer-support sessions and crisis escalation.",
        routers=[build_router(runtime), build_crisis_router(runtime, settings, clock)],
    )
