"""Delivery under faults, end to end inside notify: a crisis event on real NATS becomes a
notification, and the delivery worker (running on its own, with a short back-off) hands it to
the real channels: `SmtpChannel` to an aiosmtpd server on 127.0.0.1 and `WebhookChannel` to a
local HTTP receiver. While the server is down the delivery is retried and nothing is lost;
once it is up the alert arrives exactly once; a permanent refusal fails the delivery after one
attempt, without a retry storm; a gateway answering 503 then 200 gets one signed request."""

import email
import email.policy
import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from functools import partial

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from sqlalchemy import select

from helpers.apps import FAST, RunningService, running
from helpers.events import Publisher
from helpers.notify import BRANCH, SIGNER, crisis, person
from helpers.receivers import Request, http_receiver
from helpers.waiting import wait_until
from notify.app import create_app
from notify.config import NotifySettings
from notify.delivery.metrics import FAILED, SENDS
from notify.delivery.models import Delivery
from notify.delivery.worker import DeliveryWorker
from saathi_stack.ports import free_port
from shared.contracts.sessions import CrisisFlagged

SECRET = "gateway-shared-secret-for-tests"
EMAIL = "duty.clinician@hospital.test"
PHONE = "+919830012345"


class Mailbox:
    """An SMTP server's handler: keeps what it accepts, or refuses every message for good."""

    def __init__(self, refuse: bool = False) -> None:
        self.refuse = refuse
        self.received: list[EmailMessage] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.refuse:
            return "550 5.7.1 message refused by policy"
        parsed = email.message_from_bytes(
            envelope.original_content or b"", policy=email.policy.default
        )
        assert isinstance(parsed, EmailMessage)
        self.received.append(parsed)
        return "250 Message accepted for delivery"


@dataclass(frozen=True)
class Gateway:
    """The receiver's URL, the statuses it will answer first, and what it got."""

    url: str
    answers: list[int]
    requests: list[Request]


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    """An SMS gateway's webhook: answers each status in `answers` once, then 200."""
    answers: list[int] = []

    def answer(_: str, __: bytes) -> tuple[int, bytes]:
        status = answers.pop(0) if answers else 200
        return status, b'{"id": "gw-1", "status": "queued"}' if status == 200 else b"overloaded"

    with http_receiver(answer) as got:
        yield Gateway(f"{got.url}/texts", answers, got.requests)


@dataclass
class Rounds:
    """How many rounds the delivery worker has finished."""

    count: int = 0


@pytest.fixture
async def notify(clean_nats, dbs, smtp_port, gateway):
    settings = NotifySettings(
        database_url=await dbs.url("notify"),
        nats_url=clean_nats,
        smtp_host="127.0.0.1",
        smtp_port=smtp_port,
        smtp_sender="saathi-alerts@hospital.test",
        smtp_timeout_s=2,
        sms_webhook_url=gateway.url,
        sms_webhook_secret=SECRET,
        sms_timeout_s=2,
        delivery_interval_s=0.1,
        delivery_max_attempts=20,
        delivery_retry_base_s=0.2,
        delivery_retry_cap_s=0.4,
        **FAST,
    )
    async with running(partial(create_app, signer=SIGNER), settings) as service:
        people = {
            "dr_mail": person(["clinician"], email=EMAIL),
            "dr_text": person(["clinician"], phone=PHONE),
        }
        for person_id, body in people.items():
            assert (await service.client.put(f"/people/{person_id}", json=body)).status_code == 200
        yield service


def rounds_of(service: RunningService) -> Rounds:
    """Count the worker's rounds from now on (it calls `check` once a round)."""
    [worker] = [job for job in service.runtime.listeners if isinstance(job, DeliveryWorker)]
    rounds, check = Rounds(), worker.check

    async def counted() -> int:
        done = await check()
        rounds.count += 1
        return done

    setattr(worker, "check", counted)  # noqa: B010
    return rounds


async def flag_crisis(url: str, person_id: str) -> str:
    flagged = crisis(person_id)
    async with Publisher(url) as publisher:
        await publisher.event(CrisisFlagged.new(flagged, branch=BRANCH))
    return flagged.crisis_id


async def delivery(service: RunningService, channel: str) -> Delivery | None:
    async with service.runtime.sessionmaker() as session:
        return await session.scalar(select(Delivery).where(Delivery.channel == channel))


async def notification_state(service: RunningService) -> str:
    [row] = (await service.client.get("/notifications", params={"kind": "crisis"})).json()
    return str(row["state"])


async def more_rounds(rounds: Rounds, n: int = 5) -> None:
    start = rounds.count
    await wait_until(lambda: _value(rounds), lambda c: c >= start + n, what=f"{n} more rounds")


async def _value(rounds: Rounds) -> int:
    return rounds.count


async def test_an_smtp_outage_is_retried_and_the_alert_arrives_once(notify, clean_nats, smtp_port):
    rounds = rounds_of(notify)
    await flag_crisis(clean_nats, "dr_mail")

    down = await wait_until(
        lambda: delivery(notify, "email"),
        lambda row: row is not None and row.attempts >= 3,
        what="the e-mail retried while the server is down",
    )
    assert down is not None and down.state in ("pending", "sending")
    assert down.last_reason is not None  # why it was not sent, kept for the console
    assert await notification_state(notify) not in ("failed", "sent")

    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        sent = await wait_until(
            lambda: delivery(notify, "email"),
            lambda row: row is not None and row.state == "sent",
            what="the e-mail sent once the server is up",
        )
        await more_rounds(rounds)
    finally:
        controller.stop()

    assert sent is not None and sent.attempts > down.attempts
    ids = [str(message["Message-ID"]) for message in mailbox.received]
    assert ids == [f"<saathi.{sent.delivery_id}@hospital.test>"]  # once, however many rounds
    assert mailbox.received[0]["To"] == EMAIL
    after = await delivery(notify, "email")
    assert after is not None and (after.state, after.attempts) == ("sent", sent.attempts)
    assert await notification_state(notify) == "sent"


async def test_a_permanent_refusal_fails_the_delivery_without_a_retry_storm(
    notify, clean_nats, smtp_port
):
    rounds = rounds_of(notify)
    failed_before = FAILED.labels("email")._value.get()
    mailbox = Mailbox(refuse=True)
    controller = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        await flag_crisis(clean_nats, "dr_mail")
        failed = await wait_until(
            lambda: delivery(notify, "email"),
            lambda row: row is not None and row.state == "failed",
            what="the refused e-mail failed",
        )
        await more_rounds(rounds)
    finally:
        controller.stop()

    assert failed is not None and failed.attempts == 1
    assert failed.last_reason is not None and "550" in failed.last_reason
    after = await delivery(notify, "email")
    assert after is not None and (after.state, after.attempts) == ("failed", 1)  # no retries
    assert mailbox.received == []
    assert FAILED.labels("email")._value.get() == failed_before + 1
    assert await notification_state(notify) == "failed"


async def test_a_gateway_answering_503_then_200_gets_one_signed_text(notify, clean_nats, gateway):
    rounds = rounds_of(notify)
    gateway.answers.extend([503, 503])
    sends_before = SENDS.labels("sms", "failed")._value.get()
    await flag_crisis(clean_nats, "dr_text")

    sent = await wait_until(
        lambda: delivery(notify, "sms"),
        lambda row: row is not None and row.state == "sent",
        what="the text sent once the gateway recovers",
    )
    await more_rounds(rounds)

    assert sent is not None and sent.attempts == 3
    assert [request.status for request in gateway.requests] == [503, 503, 200]
    assert SENDS.labels("sms", "failed")._value.get() == sends_before + 2
    [accepted] = [request for request in gateway.requests if request.status == 200]
    headers, body = accepted.headers, accepted.body
    expected = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["X-Saathi-Signature"], f"sha256={expected}")
    document = json.loads(body)
    assert (document["delivery_id"], document["to"]) == (sent.delivery_id, PHONE)
    assert "/ack/" in document["text"]
    after = await delivery(notify, "sms")
    assert after is not None and (after.state, after.attempts) == ("sent", 3)
    assert await notification_state(notify) == "sent"
