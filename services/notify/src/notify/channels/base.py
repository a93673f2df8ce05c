"""What every delivery channel takes and gives back, so notify's delivery loop treats e-mail and
the SMS gateway alike: one message to one address, and an outcome that says whether to retry."""

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class OutgoingMessage:
    """One rendered notification for one person on one channel. `address` is an e-mail address
    or a phone number: a channel passes it to its provider and never logs it."""

    delivery_id: str  # stable across retries: the provider-side idempotency key
    person_id: str
    address: str
    language: str  # "en" | "bn"
    kind: str  # crisis, proposal, coordinator_task, outreach, dead_letter, ...
    subject: str
    body: str
    ack_url: str | None = None


@dataclass(frozen=True)
class DeliveryOutcome:
    """What happened to one attempt. `transient` failures are retried with back-off; a permanent
    failure is reported with `reason` (what a person should fix), never retried as is."""

    sent: bool
    transient: bool
    reason: str | None
    provider_id: str | None

    @classmethod
    def delivered(cls, provider_id: str | None = None) -> "DeliveryOutcome":
        return cls(sent=True, transient=False, reason=None, provider_id=provider_id)

    @classmethod
    def retry(cls, reason: str) -> "DeliveryOutcome":
        return cls(sent=False, transient=True, reason=reason, provider_id=None)

    @classmethod
    def failed(cls, reason: str) -> "DeliveryOutcome":
        return cls(sent=False, transient=False, reason=reason, provider_id=None)


def text_with_link(message: OutgoingMessage) -> str:
    """The body, ending with the acknowledgement link if the text does not carry it already."""
    if message.ack_url and message.ack_url not in message.body:
        return f"{message.body.rstrip()}\n\n{message.ack_url}"
    return message.body


class Channel(Protocol):
    """A way to reach a person. `send` never raises for a provider's refusal or an outage: it
    says so in the outcome (a bug in the caller, such as a malformed message, may still raise)."""

    name: str

    async def send(self, message: OutgoingMessage) -> DeliveryOutcome: ...
