"""What every delivery channel implements: one message out, and what became of it."""

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class OutgoingMessage:
    """One delivery of one notification on one channel; subject and body carry no PHI."""

    delivery_id: str
    person_id: str
    address: str  # an e-mail address or a phone number
    language: str
    kind: str
    subject: str
    body: str
    ack_url: str | None


@dataclass(frozen=True)
class DeliveryOutcome:
    """Whether the provider took the message; `transient` failures are worth retrying."""

    sent: bool
    transient: bool
    reason: str | None
    provider_id: str | None


class Channel(Protocol):
    """A way to reach a person outside the console ("email" or "sms")."""

    name: str

    async def send(self, message: OutgoingMessage) -> DeliveryOutcome:
        """Hand the message to the provider."""
        ...
