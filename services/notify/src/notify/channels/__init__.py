"""How notify reaches a person outside the console: e-mail over SMTP, an SMS / messaging gateway
behind a signed HTTP webhook, the texts both carry, and the signed links that acknowledge."""

from notify.channels.base import Channel, DeliveryOutcome, OutgoingMessage

__all__ = ["Channel", "DeliveryOutcome", "OutgoingMessage"]
