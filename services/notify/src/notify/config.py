"""Notify settings (env prefix NOTIFY_)."""

from typing import Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class NotifySettings(ServiceSettings):
    """Settings of the notify service."""

    model_config = SettingsConfigDict(env_prefix="NOTIFY_", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./var/notify.db"
    http_port: int = 8105
    public_url: str = Field(
        "http://127.0.0.1:8105", description="where people reach notify (ack links point here)"
    )

    smtp_host: str | None = Field(None, description="SMTP relay; unset: no e-mail channel")
    smtp_port: int = 25
    smtp_sender: str = "saathi-alerts@localhost"
    smtp_starttls: bool = False
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_timeout_s: float = Field(10.0, gt=0)

    sms_webhook_url: str | None = Field(None, description="SMS gateway webhook; unset: no SMS")
    sms_webhook_secret: SecretStr | None = None
    sms_timeout_s: float = Field(10.0, gt=0)

    link_secret: SecretStr | None = Field(
        None, description="signs ack links; unset: messages carry no ack link"
    )
    link_ttl_s: float = Field(86_400.0, gt=0, description="how long an ack link works")

    delivery_interval_s: float = Field(2.0, gt=0, description="how often due deliveries go out")
    delivery_batch: int = Field(50, ge=1, le=1000)
    delivery_max_attempts: int = Field(6, ge=1, description="sends before a delivery fails")
    delivery_retry_base_s: float = Field(5.0, gt=0, description="first retry delay; doubles")
    delivery_retry_cap_s: float = Field(900.0, gt=0, description="longest retry delay")
    delivery_lease_s: float = Field(
        120.0, gt=0, description="a send not recorded within this is tried again (crash)"
    )
    ops_nats_user: str | None = Field(
        None,
        description="the NATS ops user, only for dead-letter actions (same server and TLS as "
        "notify's own user); unset: the dead-letter endpoints answer 503",
    )
    ops_nats_password: SecretStr | None = None
    stream_poll_s: float = Field(1.0, gt=0, description="how often the live feed looks for news")
    branch_timezone: str = Field(
        "Asia/Kolkata", description="IANA zone deadlines are shown in (events carry none)"
    )

    @model_validator(mode="after")
    def _secrets_fit_their_channels(self) -> Self:
        """A gateway URL needs the secret its requests are signed with; a link secret needs
        enough bytes to sign with; the ops user its password; the branch zone must be a zone."""
        if self.sms_webhook_url and self.sms_webhook_secret is None:
            raise ValueError(
                "NOTIFY_SMS_WEBHOOK_URL is set without NOTIFY_SMS_WEBHOOK_SECRET: set the secret "
                "the gateway verifies each request's signature with"
            )
        if self.ops_nats_user and self.ops_nats_password is None:
            raise ValueError(
                "NOTIFY_OPS_NATS_USER is set without NOTIFY_OPS_NATS_PASSWORD: set the ops "
                "user's password too"
            )
        try:
            ZoneInfo(self.branch_timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"NOTIFY_BRANCH_TIMEZONE {self.branch_timezone!r} is not an IANA time zone"
            ) from None
        if self.link_secret is not None and len(self.link_secret.get_secret_value()) < 16:
            raise ValueError("NOTIFY_LINK_SECRET must be at least 16 characters (use 32 random)")
        return self
