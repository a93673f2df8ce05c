"""What dead-letter actions need from the composition root."""

import asyncio
from dataclasses import dataclass, field

from notify.deadletters.connection import OpsNats
from shared.clock import Clock


@dataclass(frozen=True)
class DeadLetterOptions:
    """The clock actions are dated by and the ops connection (None: not configured)."""

    clock: Clock
    ops: OpsNats | None = None
    # One action at a time in this process: two people replaying the same letter at once
    # would otherwise both republish it before either removed it.
    acting: asyncio.Lock = field(default_factory=asyncio.Lock)
