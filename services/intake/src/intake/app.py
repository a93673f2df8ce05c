"""Intake composition root."""

from fastapi import FastAPI

from intake.api import build_router
from intake.config import IntakeSettings
from intake.fhir.api import build_fhir_router
from intake.hl7.ingest import Hl7Ingest
from intake.hl7.listener import MllpListener
from shared.runtime import ServiceRuntime
from shared.web import build_app


def create_app(settings: IntakeSettings) -> FastAPI:
    """The intake app: identity vault and EHR-facing API (REST, FHIR R4, HL7 v2 over MLLP);
    it produces episode, patient and consent events."""
    runtime = ServiceRuntime("intake", settings, env_prefix="INTAKE_", migrations_package="intake")
    ingest = Hl7Ingest(runtime, settings)
    if settings.mllp_enabled:
        runtime.listeners.append(
            MllpListener(
                ingest.receive,
                settings.mllp_host,
                settings.mllp_port,
                settings.mllp_max_message_bytes,
            )
        )
    app = build_app(
        runtime,
        title="Saathi intake",
        description="Admissions, transfers, discharges and consent; the identity vault.",
        routers=[build_router(runtime, settings), build_fhir_router(runtime, settings)],
    )
    app.state.hl7 = ingest
    return app
