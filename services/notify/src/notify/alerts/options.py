"""What alerts need from the composition root."""

from dataclasses import dataclass

from shared.clock import Clock


@dataclass(frozen=True)
class AlertOptions:
    """The clock notifications are dated by, how often the live feed looks for news, and the
    branches' time zone."""

    clock: Clock
    stream_poll_s: float = 1.0
    branch_zone: str = "Asia/Kolkata"  # deadlines in texts are shown in this IANA zone
