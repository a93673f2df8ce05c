"""Signed acknowledgement links: a token that names one notification and the person it was sent
to, and when it stops working. Ids only (no patient data); single use is notify's database's job.

Token: `v1.<payload>.<mac>`, both parts unpadded URL-safe base64; payload is
`notification_id \\n person_id \\n expires_at (Unix seconds)`, mac is HMAC-SHA256 over a purpose
label and the payload. Hand-written on the standard library rather than `itsdangerous`: it is
a few dozen lines, needs an absolute expiry bound into the signature (itsdangerous signs the time of
signing and checks a max age at the reader) and keeps notify's dependencies to what it must have."""

import base64
import binascii
import hashlib
import hmac
import re
from datetime import UTC, datetime
from typing import Literal

VERSION = "v1"
_PURPOSE = b"saathi.notify.ack-link.v1\n"
MIN_SECRET_BYTES = 16
_PART = re.compile(r"[A-Za-z0-9_-]{1,1024}")

Reason = Literal["expired", "tampered", "malformed"]


class BadLink(Exception):
    """The link cannot acknowledge anything; `reason` is expired, tampered or malformed."""

    def __init__(self, reason: Reason) -> None:
        super().__init__(reason)
        self.reason: Reason = reason


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _decode(text: str) -> bytes:
    """Strictly: one spelling per value, so no two tokens carry the same signature."""
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as error:
        raise BadLink("malformed") from error
    if _encode(raw) != text:
        raise BadLink("malformed")
    return raw


def _aware(moment: datetime, name: str) -> datetime:
    if moment.tzinfo is None:
        raise ValueError(f"{name} must carry a time zone")
    return moment.astimezone(UTC)


def _field(value: str, name: str) -> str:
    if not value or "\n" in value:
        raise ValueError(f"{name} must be a non-empty id on one line")
    return value


class LinkSigner:
    """Signs and checks acknowledgement tokens with one secret (at least 16 bytes)."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) < MIN_SECRET_BYTES:
            raise ValueError(f"the link secret must be at least {MIN_SECRET_BYTES} bytes")
        self._secret = secret

    def _mac(self, payload: bytes) -> bytes:
        return hmac.new(self._secret, _PURPOSE + payload, hashlib.sha256).digest()

    def sign(self, notification_id: str, person_id: str, expires_at: datetime) -> str:
        expiry = int(_aware(expires_at, "expires_at").timestamp())
        fields = (
            _field(notification_id, "notification_id"),
            _field(person_id, "person_id"),
            str(expiry),
        )
        payload = "\n".join(fields).encode()
        return f"{VERSION}.{_encode(payload)}.{_encode(self._mac(payload))}"

    def verify(self, token: str, now: datetime) -> tuple[str, str]:
        """(notification_id, person_id) of a genuine, unexpired token; else BadLink."""
        parts = token.split(".") if isinstance(token, str) else []
        if len(parts) != 3 or parts[0] != VERSION or not all(map(_PART.fullmatch, parts[1:])):
            raise BadLink("malformed")
        payload, mac = _decode(parts[1]), _decode(parts[2])
        if not hmac.compare_digest(mac, self._mac(payload)):
            raise BadLink("tampered")
        try:
            notification_id, person_id, expiry = payload.decode().split("\n")
            expires_at = int(expiry)
        except ValueError as error:  # signed by us, so only an older format could land here
            raise BadLink("malformed") from error
        if _aware(now, "now").timestamp() >= expires_at:
            raise BadLink("expired")
        return notification_id, person_id
