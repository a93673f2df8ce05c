"""The settings follow-up needs, handed over by `aftercare.app`."""

from dataclasses import dataclass
from datetime import tzinfo

from shared.clock import Clock


@dataclass(frozen=True)
class FollowUpOptions:
    """The branches' time zone, when aftercare is complete, and the clock contacts are dated by."""

    branch_tz: tzinfo
    completion_meetings: int
    clock: Clock
