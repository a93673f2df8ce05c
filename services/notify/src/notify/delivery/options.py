"""What the delivery worker needs from the composition root."""

from collections.abc import Mapping
from dataclasses import dataclass

from notify.channels.base import Channel
from notify.channels.links import LinkSigner
from shared.clock import Clock


@dataclass(frozen=True)
class DeliveryOptions:
    """Channels by name, ack links, and the retry policy."""

    channels: Mapping[str, Channel]
    clock: Clock
    signer: LinkSigner | None = None
    public_url: str = "http://127.0.0.1:8105"
    link_ttl_s: float = 86_400.0
    batch: int = 50
    max_attempts: int = 6
    retry_base_s: float = 5.0
    retry_cap_s: float = 900.0
    lease_s: float = 120.0
