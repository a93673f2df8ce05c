"""Intake settings (env prefix INTAKE_)."""

from datetime import timedelta

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from intake.hl7.senders import DEFAULT_SENDERS, Hl7Sender
from shared.settings import ServiceSettings

DEFAULT_BRANCHES = ["kol-salt-lake", "kol-park-street", "kol-behala"]


class IntakeSettings(ServiceSettings):
    """Settings of the intake service."""

    model_config = SettingsConfigDict(env_prefix="INTAKE_", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./var/intake.db"
    http_port: int = 8101
    branches: list[str] = DEFAULT_BRANCHES
    default_language: str = "bn"
    mllp_host: str = "127.0.0.1"
    mllp_enabled: bool = True
    mllp_port: int = Field(default=2575, description="HL7 v2 MLLP listener port (0: any free one)")
    mllp_max_message_bytes: int = 1_048_576
    # TLS for MLLP: a certificate and key make the listener speak TLS only; a client CA also
    # asks every sender for a certificate signed by it (mutual TLS).
    mllp_tls_cert_path: str | None = None
    mllp_tls_key_path: str | None = None
    mllp_tls_client_ca_path: str | None = None
    consent_carry_over_days: int = Field(
        default=0,
        ge=0,
        description="A readmission within this many days of the last discharge starts with "
        "that stay's given consent (0: every stay is asked afresh)",
    )
    hl7_senders: dict[str, Hl7Sender] = Field(default_factory=lambda: dict(DEFAULT_SENDERS))

    @property
    def consent_carry_over(self) -> timedelta:
        """The consent carry-over window for readmissions."""
        return timedelta(days=self.consent_carry_over_days)
