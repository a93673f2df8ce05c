"""Texts through the SMS / messaging gateway webhook, against a real HTTP receiver on 127.0.0.1
started by each test: the gateway can verify notify's signature, and notify is told which
answers to retry (503, timeout, connection refused) and which a person must fix (400, 401)."""

import hashlib
import hmac
import json
import socket
import threading
from collections.abc import Iterator

import pytest

from helpers.receivers import Receiver, http_receiver
from notify.channels.base import OutgoingMessage
from notify.channels.texts import render
from notify.channels.webhook import WebhookChannel

SECRET = "gateway-shared-secret-for-tests"
PHONE = "+919830012345"


ANSWERS = {
    "/ok": (200, b'{"id": "gw-7781", "status": "queued"}'),
    "/accepted-no-json": (202, b"accepted"),
    "/busy": (503, b"overloaded"),
    "/slow-down": (429, b"too many"),
    "/bad": (400, b'{"error": "invalid number"}'),
    "/unsigned": (401, b"bad signature"),
}


@pytest.fixture
def gateway() -> Iterator[Receiver]:
    """A gateway answering by path, as a real one would by state; `/hang` never answers in time."""
    release = threading.Event()

    def answer(path: str, _: bytes) -> tuple[int, bytes]:
        if path == "/hang":
            release.wait(10)
        return ANSWERS.get(path, (200, b"{}"))

    with http_receiver(answer) as got:
        try:
            yield got
        finally:
            release.set()


def _text(delivery_id: str = "dl_sms_1") -> OutgoingMessage:
    ack_url = "http://127.0.0.1:8085/ack/v1.token"
    facts = {"severity": "critical", "branch": "kol-salt-lake", "ref": "cr_7c41d09a2b"}
    subject, body = render("crisis", "bn", facts, ack_url)
    return OutgoingMessage(
        delivery_id=delivery_id,
        person_id="clin-0042",
        address=PHONE,
        language="bn",
        kind="crisis",
        subject=subject,
        body=body,
        ack_url=ack_url,
    )


async def test_the_gateway_gets_a_signed_text_it_can_verify(gateway):
    outcome = await WebhookChannel(f"{gateway.url}/ok", SECRET).send(_text())

    assert outcome.sent and not outcome.transient and outcome.provider_id == "gw-7781"
    [request] = gateway.requests
    headers, body = request.headers, request.body
    expected = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["X-Saathi-Signature"], f"sha256={expected}")
    assert headers["X-Saathi-Delivery"] == "dl_sms_1"
    document = json.loads(body)
    assert document["sent_at"] == int(headers["X-Saathi-Timestamp"])
    assert {k: document[k] for k in ("delivery_id", "to", "kind", "language")} == {
        "delivery_id": "dl_sms_1",
        "to": PHONE,
        "kind": "crisis",
        "language": "bn",
    }
    assert "সংকট" in document["text"] and "http://127.0.0.1:8085/ack/v1.token" in document["text"]


async def test_a_signature_made_with_another_secret_does_not_verify(gateway):
    await WebhookChannel(f"{gateway.url}/ok", "somebody-elses-secret").send(_text())

    [request] = gateway.requests
    headers, body = request.headers, request.body
    expected = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-Saathi-Signature"] != f"sha256={expected}"


async def test_a_2xx_without_json_is_still_sent(gateway):
    outcome = await WebhookChannel(f"{gateway.url}/accepted-no-json", SECRET).send(_text())

    assert outcome.sent and outcome.provider_id is None


@pytest.mark.parametrize("path, status", [("/busy", 503), ("/slow-down", 429)])
async def test_an_overloaded_gateway_is_transient(gateway, path, status):
    outcome = await WebhookChannel(f"{gateway.url}{path}", SECRET).send(_text())

    assert not outcome.sent and outcome.transient
    assert outcome.reason is not None and str(status) in outcome.reason


@pytest.mark.parametrize(
    "path, status, fix", [("/bad", 400, "phone number"), ("/unsigned", 401, "secret")]
)
async def test_a_refusal_is_permanent_with_the_status_and_what_to_fix(gateway, path, status, fix):
    outcome = await WebhookChannel(f"{gateway.url}{path}", SECRET).send(_text())

    assert not outcome.sent and not outcome.transient
    assert (
        outcome.reason is not None and f"HTTP {status}" in outcome.reason and fix in outcome.reason
    )
    assert PHONE not in outcome.reason


async def test_a_gateway_that_does_not_answer_in_time_is_transient(gateway):
    outcome = await WebhookChannel(f"{gateway.url}/hang", SECRET, timeout_s=0.3).send(_text())

    assert not outcome.sent and outcome.transient
    assert outcome.reason is not None and "timed out" in outcome.reason


async def test_a_gateway_that_is_down_is_transient():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there

    outcome = await WebhookChannel(f"http://127.0.0.1:{port}/ok", SECRET).send(_text())

    assert not outcome.sent and outcome.transient
    assert outcome.reason is not None and "unreachable" in outcome.reason


async def test_no_phone_number_or_text_is_logged(gateway, caplog):
    caplog.set_level("DEBUG", logger="notify")
    await WebhookChannel(f"{gateway.url}/ok", SECRET).send(_text())
    await WebhookChannel(f"{gateway.url}/bad", SECRET).send(_text("dl_sms_2"))

    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("notify"))
    assert "dl_sms_1" in logged and "dl_sms_2" in logged
    assert "9830012345" not in logged and "সংকট" not in logged
