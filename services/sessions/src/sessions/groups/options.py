"""What peer-led groups need of the service's settings (read once, in `sessions.app`)."""

from dataclasses import dataclass

from shared.clock import Clock


@dataclass(frozen=True)
class GroupsOptions:
    """The branch's zone (groups meet in local time), how far ahead meetings are planned and
    staffed, and how often that is done."""

    clock: Clock
    branch_timezone: str
    horizon_days: int
    check_interval_s: float
