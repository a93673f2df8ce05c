"""Sessions settings (env prefix SESSIONS_)."""

from typing import Any

from pydantic import Field, field_validator
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings

DUTY_ROLES = ("clinician", "supervisor", "branch_lead")


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
    # The network on-call, for the hours a branch's roster leaves open: a chain (all hours) or
    # a roster {"time_zone": …, "shifts": [...]} as PUT /duty-rosters/network takes (which
    # replaces it). Empty: every branch served needs its own shifts at every hour before start.
    fallback_duty_chain: list[dict[str, str]] | dict[str, Any] = []
    branches: list[str] = Field(
        [], description="branches served; each needs someone on duty at every hour of the week"
    )
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

    @field_validator("fallback_duty_chain")
    @classmethod
    def _links_name_a_person_and_role(
        cls, chain: list[dict[str, str]] | dict[str, Any]
    ) -> list[dict[str, str]] | dict[str, Any]:
        if isinstance(chain, dict):
            return chain  # a roster: checked as a roster body when the app is built
        for link in chain:
            if set(link) != {"person_id", "role"} or not link["person_id"]:
                raise ValueError(
                    'each link of the fallback duty chain is {"person_id": "...", "role": '
                    '"clinician" | "supervisor" | "branch_lead"}'
                )
            if link["role"] not in DUTY_ROLES:
                raise ValueError(f"a duty role is one of {', '.join(DUTY_ROLES)}")
        return chain
