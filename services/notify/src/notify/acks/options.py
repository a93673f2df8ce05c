"""What ack links need from the composition root."""

from dataclasses import dataclass

from notify.channels.links import LinkSigner
from shared.clock import Clock


@dataclass(frozen=True)
class AckOptions:
    """The link signer that verifies tokens (None: links are off) and the clock."""

    verifier: LinkSigner | None
    clock: Clock
