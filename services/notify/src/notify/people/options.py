"""What the directory needs from the composition root."""

from dataclasses import dataclass

from shared.clock import Clock


@dataclass(frozen=True)
class PeopleOptions:
    """The clock entries are dated by."""

    clock: Clock
