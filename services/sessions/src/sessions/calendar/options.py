"""What the calendar needs of the service's settings (read once, in `sessions.app`)."""

from dataclasses import dataclass

from shared.clock import Clock


@dataclass(frozen=True)
class CalendarOptions:
    """When introductions are held, when an unrecorded session counts as missed, and how often
    that is checked; times are in the branch's zone."""

    clock: Clock
    branch_timezone: str
    introduction_after_hours: int
    introduction_hour: int
    missed_after_minutes: int
    missed_check_interval_s: float
