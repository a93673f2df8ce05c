"""What goals and questionnaires need from the composition root (`sessions.app`)."""

from dataclasses import dataclass

from shared.clock import Clock


@dataclass(frozen=True)
class RecoveryOptions:
    """The clock goals and responses are dated by."""

    clock: Clock
