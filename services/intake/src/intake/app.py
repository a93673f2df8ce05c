"""Intake composition root."""

import ssl

from fastapi import FastAPI

from intake.audit import AuditRecord
from intake.config import IntakeSettings
from intake.consent import api as consent_api
from intake.ehr import api as ehr_api
from intake.ehr.domain import EhrOptions
from intake.fhir import api as fhir_api
from intake.hl7.ingest import Hl7Ingest
from intake.hl7.listener import MllpListener
from intake.identity import api as identity_api
from intake.mentors import api as mentors_api
from shared.runtime import ServiceRuntime
from shared.web import build_app


def mllp_tls(settings: IntakeSettings) -> ssl.SSLContext | None:
    """The MLLP listener's TLS context, when a certificate is configured."""
    if not settings.mllp_tls_cert_path:
        return None
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(settings.mllp_tls_cert_path, settings.mllp_tls_key_path)
    if settings.mllp_tls_client_ca_path:
        context.verify_mode = ssl.CERT_REQUIRED
        context.load_verify_locations(settings.mllp_tls_client_ca_path)
    return context


def create_app(settings: IntakeSettings) -> FastAPI:
    """The intake app: identity vault and EHR-facing API (REST, FHIR R4, HL7 v2 over MLLP);
    it produces episode, patient and consent events."""
    runtime = ServiceRuntime("intake", settings, env_prefix="INTAKE_", migrations_package="intake")
    ehr_options = EhrOptions(
        branches=tuple(settings.branches),
        default_language=settings.default_language,
        consent_carry_over=settings.consent_carry_over,
    )
    ingest = Hl7Ingest(runtime, dict(settings.hl7_senders), ehr_options)
    if settings.mllp_enabled:
        runtime.listeners.append(
            MllpListener(
                ingest.receive,
                settings.mllp_host,
                settings.mllp_port,
                settings.mllp_max_message_bytes,
                mllp_tls(settings),
            )
        )
    app = build_app(
        runtime,
        audit_model=AuditRecord,
        title="Saathi intake",
        description="Admissions, transfers, discharges and consent; the identity vault.",
        routers=[
            ehr_api.router,
            consent_api.router,
            identity_api.router,
            fhir_api.router,
            mentors_api.router,
        ],
        options=[ehr_options],
    )
    app.state.hl7 = ingest
    return app
