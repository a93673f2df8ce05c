"""An SMS / messaging gateway behind an HTTP webhook: notify POSTs one JSON document per text,
signed with HMAC-SHA256 so the gateway can tell it came from notify and was not altered.

The body is `{"delivery_id", "to", "text", "kind", "language", "sent_at"}` (`sent_at` in Unix
seconds, also in `X-Saathi-Timestamp`, and covered by the signature because it is in the body);
the signature is `X-Saathi-Signature: sha256=<hex HMAC of the raw body>`; `X-Saathi-Delivery`
repeats the delivery id, which stays the same on every retry, for the gateway to drop repeats.
Phone numbers and texts are never logged."""

import hashlib
import hmac
import json
import logging
import time

import httpx

from notify.channels.base import DeliveryOutcome, OutgoingMessage, text_with_link

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Saathi-Signature"
DELIVERY_HEADER = "X-Saathi-Delivery"
TIMESTAMP_HEADER = "X-Saathi-Timestamp"
_TRANSIENT_STATUSES = {408, 425, 429}


def signature(secret: str, body: bytes) -> str:
    """The header value a gateway recomputes over the raw body it received."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def payload(message: OutgoingMessage, sent_at: int) -> bytes:
    document = {
        "delivery_id": message.delivery_id,
        "to": message.address,
        "text": text_with_link(message),
        "kind": message.kind,
        "language": message.language,
        "sent_at": sent_at,
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def _provider_id(response: httpx.Response) -> str | None:
    try:
        document = response.json()
    except ValueError:
        return None
    value = document.get("id") if isinstance(document, dict) else None
    return str(value) if value is not None else None


def classify(response: httpx.Response) -> DeliveryOutcome:
    status = response.status_code
    if 200 <= status < 300:
        return DeliveryOutcome.delivered(_provider_id(response))
    if status in _TRANSIENT_STATUSES or status >= 500:
        return DeliveryOutcome.retry(f"gateway answered HTTP {status}; will retry")
    if 300 <= status < 400:
        return DeliveryOutcome.failed(
            f"gateway answered HTTP {status} (a redirect): configure its final URL in notify"
        )
    if status in (401, 403):
        return DeliveryOutcome.failed(
            f"gateway refused notify's signature (HTTP {status}): check the shared webhook secret"
        )
    return DeliveryOutcome.failed(
        f"gateway refused the message (HTTP {status}): check the person's phone number "
        "and the gateway's settings"
    )


class WebhookChannel:
    """Texts a person through a gateway that accepts notify's signed webhook."""

    name = "sms"

    def __init__(self, url: str, secret: str, timeout_s: float = 10.0) -> None:
        if not url.startswith(("http://", "https://")):
            raise ValueError("the SMS gateway URL must start with http:// or https://")
        if not secret:
            raise ValueError("the SMS gateway needs a shared secret to sign with")
        self.url, self.secret, self.timeout_s = url, secret, timeout_s

    async def send(self, message: OutgoingMessage) -> DeliveryOutcome:
        sent_at = int(time.time())
        body = payload(message, sent_at)
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            SIGNATURE_HEADER: signature(self.secret, body),
            DELIVERY_HEADER: message.delivery_id,
            TIMESTAMP_HEADER: str(sent_at),
        }
        try:
            async with httpx.AsyncClient(timeout=self.timeout_s) as client:
                response = await client.post(self.url, content=body, headers=headers)
        except httpx.TimeoutException:
            outcome = DeliveryOutcome.retry("gateway timed out; will retry")
        except httpx.TransportError as error:
            outcome = DeliveryOutcome.retry(
                f"gateway unreachable ({type(error).__name__}); will retry"
            )
        else:
            outcome = classify(response)
        log.log(
            logging.INFO if outcome.sent else logging.WARNING,
            "text %s (%s): %s",
            message.delivery_id,
            message.kind,
            "handed to the gateway" if outcome.sent else outcome.reason,
        )
        return outcome
