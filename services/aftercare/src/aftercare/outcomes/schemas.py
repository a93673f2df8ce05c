"""Outcomes HTTP body: one branch's figures for a period (also the CSV's columns)."""

from datetime import date

from pydantic import BaseModel, ConfigDict


class Outcomes(BaseModel):
    """One branch's figures for a period (rates are None where nothing was there to count)."""

    model_config = ConfigDict(frozen=True)

    branch: str
    period_from: date
    period_to: date
    discharges: int
    enrolled: int
    enrolment_rate: float | None
    first_attended: int
    first_attendance_rate: float | None
    follow_up_7_day_rate: float | None
    follow_up_30_day_rate: float | None
    readmissions_30_day: int
    readmission_rate_30_day: float | None
    median_hours_admission_to_match: float | None
    alumni_joined: int
    alumni_to_mentor_conversions: int
