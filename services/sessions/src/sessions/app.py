"""Sessions composition root."""

from fastapi import FastAPI

from sessions.api import build_router
from sessions.config import SessionsSettings
from sessions.consumers import consumer_specs
from shared.runtime import ServiceRuntime
from shared.web import build_app


def create_app(settings: SessionsSettings) -> FastAPI:
    """The sessions app: consumes matches, schedules introductions, records sessions."""
    runtime = ServiceRuntime(
        "sessions",
        settings,
        env_prefix="SESSIONS_",
        migrations_package="sessions",
        consumer_specs=consumer_specs(settings),
    )
    return build_app(
        runtime,
        title="Saathi sessions",
        description="1:1 peer-support sessions.",
        routers=[build_router(runtime)],
    )
