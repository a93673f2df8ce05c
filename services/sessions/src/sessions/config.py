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
    crisis_ack_deadline_s: float = Field(
        900.0, gt=0, description="how long the person alerted has to acknowledge"
    )
    crisis_ack_deadline_by_severity: dict[str, float] = {"critical": 300.0}
    crisis_check_interval_s: float = Field(5.0, gt=0)
    # Used for a branch without its own duty roster, so a crisis always alerts someone.
    fallback_duty_chain: list[dict[str, str]] = []
    missed_after_minutes: int = Field(
        120, ge=0, description="a session nobody recorded this long after its end is missed"
    )
    missed_check_interval_s: float = Field(300.0, gt=0)
    group_horizon_days: int = Field(
        28, ge=7, le=180, description="how far ahead group meetings are planned and staffed"
    )
    group_check_interval_s: float = Field(
        3600.0, gt=0, description="how often meetings ahead are planned and their staffing checked"
    )
