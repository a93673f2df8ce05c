"""Settings every service shares; each service subclasses with its own env prefix."""

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    """Common settings: where the database and NATS are, and how the backbone behaves."""

    model_config = SettingsConfigDict(extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./var/service.db"
    nats_url: str = "nats://127.0.0.1:4222"
    # The service's own NATS user (see shared.nats_permissions), and TLS to the server.
    nats_user: str | None = None
    nats_password: SecretStr | None = None
    nats_tls_ca_path: str | None = None
    nats_tls_cert_path: str | None = None
    nats_tls_key_path: str | None = None
    manage_streams: bool = Field(True, description="false where ops provisions the streams")
    http_host: str = "127.0.0.1"
    http_port: int = 8100
    startup_timeout_s: float = Field(10.0, gt=0)
    shutdown_grace_s: float = Field(
        8.0, gt=0, description="how long open requests (live streams) may hold up a stop"
    )
    stream_replicas: int = Field(1, ge=1, le=5)
    consumer_batch_size: int = Field(200, ge=1, le=1000)
    max_attempts: int = Field(5, ge=1, description="failed deliveries before a dead letter")
    retry_delay_s: float = Field(1.0, gt=0, description="first NAK delay; doubles per attempt")
    ack_wait_s: float = Field(30.0, gt=0, description="redelivery delay of unacked messages")
    relay_interval_s: float = Field(0.5, gt=0)
    stall_after_s: float = Field(60.0, gt=0)
    migrate_on_start: bool = True
    log_level: str = "INFO"
    log_json: bool = True
    # Every HTTP endpoint but health, readiness and metrics needs an OIDC bearer token (JWT).
    auth_required: bool = True
    auth_issuer: str = "saathi-dev-issuer"
    auth_audience: str = "saathi"
    auth_algorithms: list[str] = ["RS256", "ES256"]
    auth_jwks_url: str | None = None
    auth_jwks_path: str | None = None
    clock_offset_file: str | None = Field(
        None, description="drills and tests only: a file of seconds to move the clock on by"
    )
    auth_leeway_s: float = Field(30.0, ge=0, le=300, description="clock skew allowed")

    @field_validator("auth_algorithms")
    @classmethod
    def _asymmetric_only(cls, algorithms: list[str]) -> list[str]:
        allowed = {"RS256", "RS384", "RS512", "ES256", "ES384", "PS256", "PS384", "EdDSA"}
        if not algorithms or set(algorithms) - allowed:
            raise ValueError(f"only asymmetric algorithms: {', '.join(sorted(allowed))}")
        return algorithms
