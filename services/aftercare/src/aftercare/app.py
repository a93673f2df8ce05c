"""Aftercare composition root."""

from fastapi import FastAPI

from aftercare.api import build_router
from aftercare.config import AftercareSettings
from aftercare.consumers import consumer_specs
from shared.runtime import ServiceRuntime
from shared.web import build_app


def create_app(settings: AftercareSettings) -> FastAPI:
    """The aftercare app: enrols discharged patients in sessions' outpatient groups on its
    own, and keeps the tasks that keep them from falling through the cracks."""
    runtime = ServiceRuntime(
        "aftercare",
        settings,
        env_prefix="AFTERCARE_",
        migrations_package="aftercare",
        consumer_specs=consumer_specs(settings),
    )
    return build_app(
        runtime,
        title="Saathi aftercare",
        description="Outpatient peer-led groups and enrolment after discharge.",
        routers=[build_router(runtime, settings)],
    )
