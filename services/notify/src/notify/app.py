"""Notify composition root: the settings read once into each feature's options, the channels
and link signer built from them, the consumers, the delivery worker and the routers."""

from collections.abc import Mapping

from fastapi import FastAPI

from notify.acks import api as acks_api
from notify.acks.options import AckOptions
from notify.alerts import api as alerts_api
from notify.alerts.deadletters import DeadLetterWatch
from notify.alerts.options import AlertOptions
from notify.audit import AuditRecord
from notify.channels.base import Channel
from notify.channels.links import LinkSigner
from notify.channels.smtp import SmtpChannel
from notify.channels.webhook import WebhookChannel
from notify.config import NotifySettings
from notify.consumers import consumer_specs
from notify.deadletters import api as deadletters_api
from notify.deadletters.connection import OpsNats
from notify.deadletters.options import DeadLetterOptions
from notify.delivery.options import DeliveryOptions
from notify.delivery.worker import DeliveryWorker
from notify.people import api as people_api
from notify.people.options import PeopleOptions
from shared.clock import Clock, clock_from
from shared.nats_connect import tls_context
from shared.runtime import ServiceRuntime
from shared.web import build_app


def build_channels(settings: NotifySettings) -> dict[str, Channel]:
    """E-mail over SMTP and SMS through the gateway's webhook, each when configured."""
    channels: dict[str, Channel] = {}
    if settings.smtp_host:
        password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
        channels["email"] = SmtpChannel(
            settings.smtp_host,
            settings.smtp_port,
            settings.smtp_sender,
            settings.smtp_starttls,
            settings.smtp_username,
            password,
            settings.smtp_timeout_s,
        )
    if settings.sms_webhook_url:
        assert settings.sms_webhook_secret is not None  # the settings refuse a URL without one
        channels["sms"] = WebhookChannel(
            settings.sms_webhook_url,
            settings.sms_webhook_secret.get_secret_value(),
            settings.sms_timeout_s,
        )
    return channels


def build_signer(settings: NotifySettings) -> LinkSigner | None:
    """The ack-link signer (no secret: messages carry no ack link)."""
    if settings.link_secret is None:
        return None
    return LinkSigner(settings.link_secret.get_secret_value().encode())


def build_ops_nats(settings: NotifySettings) -> OpsNats | None:
    """The ops user's connection for dead-letter actions (None: not configured)."""
    if not settings.ops_nats_user or settings.ops_nats_password is None:
        return None
    tls = None
    if settings.nats_tls_ca_path or settings.nats_url.startswith("tls://"):
        tls = tls_context(
            settings.nats_tls_ca_path, settings.nats_tls_cert_path, settings.nats_tls_key_path
        )
    return OpsNats(
        settings.nats_url,
        settings.ops_nats_user,
        settings.ops_nats_password.get_secret_value(),
        tls,
    )


def create_app(
    settings: NotifySettings,
    clock: Clock | None = None,
    channels: Mapping[str, Channel] | None = None,
    signer: LinkSigner | None = None,
) -> FastAPI:
    """The notify app: alerts to named people, delivered on their channels, acknowledged from
    the console or a signed link. Tests hand in their own clock, channels and signer."""
    clock = clock or clock_from(settings.clock_offset_file)
    link_signer = signer or build_signer(settings)
    alerts = AlertOptions(
        clock=clock, stream_poll_s=settings.stream_poll_s, branch_zone=settings.branch_timezone
    )
    delivery = DeliveryOptions(
        channels=build_channels(settings) if channels is None else channels,
        clock=clock,
        signer=link_signer,
        public_url=settings.public_url,
        link_ttl_s=settings.link_ttl_s,
        batch=settings.delivery_batch,
        max_attempts=settings.delivery_max_attempts,
        retry_base_s=settings.delivery_retry_base_s,
        retry_cap_s=settings.delivery_retry_cap_s,
        lease_s=settings.delivery_lease_s,
    )
    runtime = ServiceRuntime(
        "notify",
        settings,
        env_prefix="NOTIFY_",
        migrations_package="notify",
        consumer_specs=consumer_specs(alerts),
    )
    runtime.listeners += [
        DeadLetterWatch(runtime, alerts),
        DeliveryWorker(runtime, delivery, settings.delivery_interval_s),
    ]
    app = build_app(
        runtime,
        audit_model=AuditRecord,
        title="Saathi notify",
        description="Alerts to named people on their channels, tracked to acknowledgement.",
        routers=[people_api.router, alerts_api.router, deadletters_api.router],
        options=[
            alerts,
            delivery,
            PeopleOptions(clock),
            AckOptions(link_signer, clock),
            DeadLetterOptions(clock, build_ops_nats(settings)),
        ],
    )
    app.include_router(acks_api.router)  # no bearer token: the signed link is the credential
    return app
