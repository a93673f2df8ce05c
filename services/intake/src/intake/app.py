"""Intake composition root."""

from fastapi import FastAPI

from intake.api import build_router
from intake.config import IntakeSettings
from shared.runtime import ServiceRuntime
from shared.web import build_app


def create_app(settings: IntakeSettings) -> FastAPI:
    """The intake app: identity vault and EHR-facing API; it produces episode and consent events."""
    runtime = ServiceRuntime("intake", settings, env_prefix="INTAKE_", migrations_package="intake")
    return build_app(
        runtime,
        title="Saathi intake",
        description="Admissions, transfers, discharges and consent; the identity vault.",
        routers=[build_router(runtime, settings)],
    )
