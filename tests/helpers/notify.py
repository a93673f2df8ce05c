"""Notify in tests: a provider that records what channels hand it, the ack-link signer with a
test secret, crisis events to raise alerts with, and reads of what notify recorded."""

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from fastapi import FastAPI
from sqlalchemy import select
from sqlmodel import col

from notify.app import create_app
from notify.channels.base import DeliveryOutcome, OutgoingMessage
from notify.channels.links import LinkSigner
from notify.config import NotifySettings
from notify.delivery.models import Delivery
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


SIGNER = LinkSigner(b"a test secret of thirty-two bytes")
"""The real signer with a test secret: tokens the app under test accepts."""


def notify_app(
    clock: Clock | None = None,
    provider: FakeProvider | None = None,
    signer: LinkSigner | None = None,
) -> Callable[[NotifySettings], FastAPI]:
    """`create_app` with a test clock, a fake e-mail provider and the test signer."""
    channels = {"email": provider} if provider is not None else {}
    return partial(
        create_app,
        clock=clock,
        channels=channels,
        signer=signer or SIGNER,
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


async def notifications(service: Any, **params: Any) -> list[dict[str, Any]]:
    """`GET /notifications` of a running notify app (a coordinator's view), asserted to answer."""
    answer = await service.client.get("/notifications", params=params)
    assert answer.status_code == 200, answer.text
    return list(answer.json())


async def deliveries_of(service: Any, notification_id: str) -> list[Delivery]:
    """The delivery rows of one notification, read from notify's database."""
    async with service.runtime.sessionmaker() as session:
        rows = await session.scalars(
            select(Delivery).where(col(Delivery.notification_id) == notification_id)
        )
        return list(rows)
