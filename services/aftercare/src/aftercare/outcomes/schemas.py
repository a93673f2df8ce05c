"""Outcomes HTTP bodies: one branch's figures for a period, and one branch's aftercare funnel
for a month (each also its CSV's columns)."""

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


class FunnelMonth(BaseModel):
    """One branch's aftercare funnel for the stays discharged in one month (branch time):
    how many were discharged, found a place or wait for one, came to a first meeting, were
    reached for the 7- and 30-day follow-ups (or missed, or still due), and came back within
    30 days."""

    model_config = ConfigDict(frozen=True)

    branch: str
    month: str
    discharged: int
    enrolled: int
    waitlisted: int
    first_attended: int
    follow_up_7_day_completed: int
    follow_up_7_day_missed: int
    follow_up_7_day_due: int
    follow_up_30_day_completed: int
    follow_up_30_day_missed: int
    follow_up_30_day_due: int
    readmitted_30_day: int
