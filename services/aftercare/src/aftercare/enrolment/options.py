"""The settings enrolment needs, handed over by `aftercare.app`."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import tzinfo


@dataclass(frozen=True)
class EnrolmentOptions:
    """Who is enrolled, where, and what an enrolment sets going (follow-ups, outreach)."""

    # Lower-case discharge dispositions that rule enrolment out (died, transferred …).
    excluded_dispositions: frozenset[str]
    branch_distances_km: Mapping[str, Mapping[str, float]]
    max_travel_km: float
    branch_tz: tzinfo
    readmission_window_days: int
    follow_up_windows_s: Mapping[str, float]
    first_attendance_grace_h: float
