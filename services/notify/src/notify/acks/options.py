"""What ack links need from the composition root (notify.channels.links.LinkSigner)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from shared.clock import Clock


class Verifier(Protocol):
    """Checks an ack link's token (notify.channels.links.LinkSigner)."""

    def verify(self, token: str, now: datetime) -> tuple[str, str]:
        """(notification_id, person_id), or raises the signer's BadLink."""
        ...


@dataclass(frozen=True)
class AckOptions:
    """The link verifier and the exception it raises for a bad link; None: links are off."""

    verifier: Verifier | None
    bad_link: type[Exception]
    clock: Clock
