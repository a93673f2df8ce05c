"""Aftercare settings (env prefix AFTERCARE_)."""

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class AftercareSettings(ServiceSettings):
    """Settings of the aftercare service."""

    model_config = SettingsConfigDict(env_prefix="AFTERCARE_", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./var/aftercare.db"
    http_port: int = 8104
