"""Intake settings (env prefix INTAKE_)."""

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings

DEFAULT_BRANCHES = ["kol-salt-lake", "kol-park-street", "kol-behala"]


class IntakeSettings(ServiceSettings):
    """Settings of the intake service."""

    model_config = SettingsConfigDict(env_prefix="INTAKE_", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./var/intake.db"
    http_port: int = 8101
    branches: list[str] = DEFAULT_BRANCHES
