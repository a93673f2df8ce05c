"""Sessions settings (env prefix SESSIONS_)."""

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class SessionsSettings(ServiceSettings):
    """Settings of the sessions service."""

    model_config = SettingsConfigDict(env_prefix="SESSIONS_", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./var/sessions.db"
    http_port: int = 8103
    introduction_after_hours: int = Field(24, ge=1, le=24 * 14)
    introduction_hour: int = Field(11, ge=0, le=23, description="local hour at the branch")
    branch_timezone: str = "Asia/Kolkata"
