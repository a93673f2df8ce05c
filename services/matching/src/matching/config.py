"""Matching settings (env prefix MATCHING_)."""

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class MatchingSettings(ServiceSettings):
    """Settings of the matching service."""

    model_config = SettingsConfigDict(env_prefix="MATCHING_", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./var/matching.db"
    http_port: int = 8102
    score_weights: dict[str, float] = {
        "continuity": 3.0,
        "in_person": 2.0,
        "load_balance": 1.0,
        "lived_experience": 2.0,
        "interests": 0.5,
        "age_band": 0.5,
        "crisis_cover": 2.0,
    }
    branch_score_weights: dict[str, dict[str, float]] = {}
    lapse_check_interval_s: float = 3600.0
    leave_check_interval_s: float = 600.0
    core_certifications: list[str] = ["active_listening", "boundaries", "crisis_response", "ethics"]
    certification_notice_days: int = Field(30, ge=0, le=365)
    certification_check_interval_s: float = Field(3600.0, gt=0)
    max_mentors_per_supervisor: int = Field(8, ge=1)
    supervision_check_interval_s: float = Field(3600.0, gt=0)
    crisis_certification: str = "crisis_response"
    same_ward_window_days: int = 365
    review_branches: list[str] = []
    review_deadline_s: float = 4 * 3600.0
    review_check_interval_s: float = 60.0
    fairness_weight: float = 6.0
    reoptimise_interval_s: float = 300.0
    continue_into_aftercare: bool = False
    branch_continue_into_aftercare: dict[str, bool] = {}
    aftercare_continuation_days: int = 90
    # HL7 table 0112 / UB-04 codes and plain words for dispositions that end a match at once.
    ending_dispositions: list[str] = ["20", "02", "07", "expired", "died", "transferred", "ama"]
    continuation_check_interval_s: float = 3600.0
