"""Matching settings (env prefix MATCHING_)."""

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class MatchingSettings(ServiceSettings):
    """Settings of the matching service."""

    model_config = SettingsConfigDict(env_prefix="MATCHING_", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./var/matching.db"
    http_port: int = 8102
    candidates_considered: int = 5
    core_certifications: list[str] = ["active_listening", "boundaries", "crisis_response", "ethics"]
    certification_notice_days: int = 30
    max_mentors_per_supervisor: int = 8
