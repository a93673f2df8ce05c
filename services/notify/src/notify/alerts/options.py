"""What alerts need from the composition root."""

from dataclasses import dataclass

from shared.clock import Clock


@dataclass(frozen=True)
class AlertOptions:
    """The clock notifications are dated by, and how often the live feed looks for news."""

    clock: Clock
    stream_poll_s: float = 1.0
