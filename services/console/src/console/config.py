"""Console settings (env prefix CONSOLE_)."""

from typing import Self

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings

SERVICES = ("intake", "matching", "sessions", "aftercare", "notify")


class ConsoleSettings(ServiceSettings):
    """Settings of the console: where people reach it, its OIDC client, the services' URLs."""

    model_config = SettingsConfigDict(env_prefix="CONSOLE_", extra="ignore")

    http_port: int = 8106
    public_url: str = Field(
        "http://127.0.0.1:8106", description="where people reach the console (OIDC redirects)"
    )
    oidc_discovery_url: str = Field(
        "http://127.0.0.1:8100/.well-known/openid-configuration",
        description="the hospital's OpenID provider's discovery document",
    )
    oidc_client_id: str = "saathi-console"
    oidc_client_secret: SecretStr | None = Field(
        None, description="for a confidential client (client_secret_post); PKCE is always used"
    )
    oidc_scope: str = "openid profile"
    session_secret: SecretStr = Field(
        description="encrypts the session cookie; 32+ random characters, the same on replicas"
    )
    cookie_secure: bool = Field(True, description="false only on http://127.0.0.1")
    session_max_s: float = Field(8 * 3600.0, gt=0, description="longest a sign-in lasts")
    default_language: str = "en"
    branch_timezone: str = "Asia/Kolkata"
    upstream_timeout_s: float = Field(10.0, gt=0)
    intake_url: str = "http://127.0.0.1:8101"
    matching_url: str = "http://127.0.0.1:8102"
    sessions_url: str = "http://127.0.0.1:8103"
    aftercare_url: str = "http://127.0.0.1:8104"
    notify_url: str = "http://127.0.0.1:8105"
    live_events: bool = Field(True, description="follow events on NATS to refresh screens")

    @model_validator(mode="after")
    def _secret_long_enough(self) -> Self:
        """A short session secret would let a cookie be forged."""
        if len(self.session_secret.get_secret_value()) < 32:
            raise ValueError("CONSOLE_SESSION_SECRET must be at least 32 characters (random)")
        return self

    def service_urls(self) -> dict[str, str]:
        """Each service's base URL by name."""
        return {name: getattr(self, f"{name}_url").rstrip("/") for name in SERVICES}
