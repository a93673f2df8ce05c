"""Aftercare settings (env prefix AFTERCARE_)."""

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class AftercareSettings(ServiceSettings):
    """Settings of the aftercare service."""

    model_config = SettingsConfigDict(env_prefix="AFTERCARE_", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./var/aftercare.db"
    http_port: int = 8104
    # HL7 table 0112 codes and plain words: died, to another inpatient facility, left against
    # medical advice. Compared case-insensitively.
    no_enrolment_dispositions: list[str] = [
        "20",
        "02",
        "07",
        "expired",
        "died",
        "transferred",
        "ama",
    ]
    branch_distances_km: dict[str, dict[str, float]] = Field(
        default={
            "kol-salt-lake": {"kol-park-street": 9.0, "kol-behala": 17.0},
            "kol-park-street": {"kol-behala": 10.0},
        },
        description="branch distances, either way round; a pair not listed is out of reach",
    )
    max_travel_km: float = Field(
        12.0, ge=0, description="how far from the branch nearest home an outpatient group may be"
    )
    branch_timezone: str = "Asia/Kolkata"
