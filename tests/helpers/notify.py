"""Notify in tests: a provider that records what channels hand it, an ack-link signer with
the interface of notify.channels.links, and crisis events to raise alerts with."""

import base64
import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from fastapi import FastAPI

from notify.app import create_app
from notify.channels.base import DeliveryOutcome, OutgoingMessage
from notify.config import NotifySettings
from shared.clock import Clock
from shared.contracts.sessions import CrisisState

BRANCH = "kol-salt-lake"


@dataclass
class FakeProvider:
    """A provider behind a channel: keeps each message once per delivery_id (as a provider
    with an idempotency key would), and can be told to fail the next sends."""

    name: str = "email"
    failures: list[DeliveryOutcome] = field(default_factory=list)
    received: dict[str, OutgoingMessage] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)

    async def send(self, message: OutgoingMessage) -> DeliveryOutcome:
        """Record the call; fail if told to, else keep the message (once per delivery_id)."""
        self.calls.append(message.delivery_id)
        if self.failures:
            return self.failures.pop(0)
        self.received.setdefault(message.delivery_id, message)
        return DeliveryOutcome(True, False, None, f"provider-{message.delivery_id}")

    def fail(self, times: int, transient: bool = True) -> None:
        """The next `times` sends fail (transient: worth retrying)."""
        outcome = DeliveryOutcome(False, transient, "421 try again later", None)
        self.failures += [outcome] * times


class BadLink(Exception):
    """A link that does not verify (notify.channels.links.BadLink's shape: a reason)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TestSigner:
    """HMAC-signed `notification_id.person_id.expiry.signature` tokens."""

    __test__ = False

    def __init__(self, secret: bytes = b"test-link-secret") -> None:
        self._secret = secret

    def _mac(self, body: str) -> str:
        digest = hmac.new(self._secret, body.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def sign(self, notification_id: str, person_id: str, expires_at: datetime) -> str:
        """A token for one notification and its addressee."""
        body = f"{notification_id}.{person_id}.{int(expires_at.timestamp())}"
        return f"{body}.{self._mac(body)}"

    def verify(self, token: str, now: datetime) -> tuple[str, str]:
        """(notification_id, person_id), or BadLink."""
        try:
            notification_id, person_id, expiry, mac = token.split(".")
        except ValueError:
            raise BadLink("malformed") from None
        if not hmac.compare_digest(mac, self._mac(f"{notification_id}.{person_id}.{expiry}")):
            raise BadLink("bad signature")
        if now.timestamp() > int(expiry):
            raise BadLink("expired")
        return notification_id, person_id


def notify_app(
    clock: Clock | None = None, provider: FakeProvider | None = None, signer: Any = None
) -> Callable[[NotifySettings], FastAPI]:
    """`create_app` with a test clock, a fake e-mail provider and the test signer."""
    channels = {"email": provider} if provider is not None else {}
    return partial(
        create_app,
        clock=clock,
        channels=channels,
        signer=(signer or TestSigner(), BadLink),
    )


def person(roles: list[str], branches: list[str] | None = None, **extra: Any) -> dict[str, Any]:
    """A directory entry (PUT /people/{id} body)."""
    return {"roles": roles, "branches": [BRANCH] if branches is None else branches, **extra}


def crisis(
    notified: str | None, level: int = 0, status: str = "open", crisis_id: str | None = None
) -> CrisisState:
    """A crisis as sessions tells it, alerting `notified` now."""
    now = datetime.now(UTC)
    return CrisisState(
        version=level + 1,
        crisis_id=crisis_id or f"cr_{secrets.token_hex(6)}",
        branch=BRANCH,
        patient_ref=f"pt_{secrets.token_hex(6)}",
        mentor_id="mn_1",
        match_id="mt_1",
        severity="high",
        status=status,  # type: ignore[arg-type]
        level=level,
        notified_person_id=notified,
        notified_role="clinician" if notified else None,
        deadline_at=now + timedelta(minutes=15),
        flagged_at=now,
    )
