"""Aftercare settings (env prefix AFTERCARE_)."""

from pydantic import Field, field_validator
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
    first_attendance_grace_h: float = Field(
        24.0, ge=0, description="after the first meeting's end, when outreach is due"
    )
    follow_up_windows_s: dict[str, float] = Field(
        default={"day_7": 7 * 86_400.0, "day_30": 30 * 86_400.0},
        description="how long after discharge each follow-up may be made",
    )
    readmission_window_days: int = Field(30, ge=1)
    check_interval_s: float = Field(
        300.0, gt=0, description="how often follow-up windows and outreach are checked"
    )

    completion_meetings: int = Field(
        6, ge=1, description="outpatient meetings attended to complete aftercare (alumni)"
    )
    mentor_min_days_since_discharge: int = Field(
        365, ge=0, description="how long after their last discharge an alumnus may train"
    )
    mentor_courses: list[str] = ["active_listening", "boundaries", "crisis_response", "ethics"]

    @field_validator("follow_up_windows_s")
    @classmethod
    def _known_follow_ups(cls, windows: dict[str, float]) -> dict[str, float]:
        unknown = set(windows) - {"day_7", "day_30"}
        if unknown or any(seconds <= 0 for seconds in windows.values()):
            raise ValueError(
                "follow-up windows are day_7 and day_30, each a positive number of seconds"
            )
        return windows
