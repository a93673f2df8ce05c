"""What supervision needs from the composition root (`sessions.app`)."""

from dataclasses import dataclass

from shared.clock import Clock


@dataclass(frozen=True)
class SupervisionOptions:
    """The clock a mentor's load is measured and meetings and checks are dated by."""

    clock: Clock
