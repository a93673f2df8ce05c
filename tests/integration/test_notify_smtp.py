"""E-mail alerts against a real SMTP server (aiosmtpd on 127.0.0.1, started by each test): the
message a person receives, what notify is told when the server is down, defers or refuses, and
that a retry after an outage delivers the alert once."""

import email
import email.policy
import socket
from collections.abc import Iterator
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from notify.channels.base import OutgoingMessage
from notify.channels.smtp import SmtpChannel
from notify.channels.texts import render
from saathi_stack.ports import free_port

REF = "cr_7c41d09a2b"
SENDER = "saathi-alerts@hospital.test"
UNKNOWN = "left-last-year@hospital.test"
BUSY = "busy@hospital.test"


class Mailbox:
    """Keeps what it accepts; refuses one mailbox for good (550) and defers another (451)."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], EmailMessage]] = []

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address == UNKNOWN:
            return "550 5.1.1 <left-last-year@hospital.test>: mailbox unavailable"
        if address == BUSY:
            return "451 4.3.0 mailbox busy, try later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.received.append((list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"


def _serve(mailbox: Mailbox, port: int) -> Controller:
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def mailbox(port: int) -> Iterator[Mailbox]:
    box = Mailbox()
    controller = _serve(box, port)
    try:
        yield box
    finally:
        controller.stop()


def _alert(address: str, language: str = "en", delivery_id: str = "dl_0001") -> OutgoingMessage:
    ack_url = "http://127.0.0.1:8085/ack/v1.token"
    facts = {
        "severity": "high",
        "branch": "kol-salt-lake",
        "ward": "W3",
        "ref": REF,
        "ack_within_min": "10",
        "deadline": "2026-12-05T02:10:00+00:00",
        "zone": "Asia/Kolkata",
    }
    subject, body = render("crisis", language, facts, ack_url)
    return OutgoingMessage(
        delivery_id=delivery_id,
        person_id="clin-0042",
        address=address,
        language=language,
        kind="crisis",
        subject=subject,
        body=body,
        ack_url=ack_url,
    )


def _channel(port: int, timeout_s: float = 5.0) -> SmtpChannel:
    return SmtpChannel("127.0.0.1", port, SENDER, timeout_s=timeout_s)


async def test_the_alert_arrives_with_its_headers_and_no_ref_in_the_subject(mailbox, port):
    outcome = await _channel(port).send(_alert("duty.clinician@hospital.test"))

    assert outcome.sent and not outcome.transient and outcome.reason is None
    [(recipients, received)] = mailbox.received
    assert recipients == ["duty.clinician@hospital.test"]
    assert received["From"] == SENDER and received["To"] == "duty.clinician@hospital.test"
    assert received["Message-ID"] == "<saathi.dl_0001@hospital.test>" == outcome.provider_id
    assert received["Auto-Submitted"] == "auto-generated"
    subject = str(received["Subject"])
    assert subject == "Saathi: crisis alert (high) at kol-salt-lake — acknowledge within 10 min"
    assert REF not in subject
    plain = received.get_body(("plain",))
    html = received.get_body(("html",))
    assert plain is not None and html is not None
    text = plain.get_content()
    assert "ward W3" in text and REF in text and "07:40 IST" in text
    assert "http://127.0.0.1:8085/ack/v1.token" in text
    assert '<a href="http://127.0.0.1:8085/ack/v1.token">' in html.get_content()


async def test_a_bengali_alert_arrives_readable(mailbox, port):
    outcome = await _channel(port).send(_alert("duty.clinician@hospital.test", language="bn"))

    assert outcome.sent
    [(_, received)] = mailbox.received
    assert "সংকট সতর্কতা" in str(received["Subject"])
    assert REF not in str(received["Subject"])
    plain = received.get_body(("plain",))
    assert plain is not None and "স্বীকার করুন" in plain.get_content()
    assert received["Content-Language"] == "bn"


async def test_an_unknown_mailbox_is_a_permanent_failure_that_says_what_to_fix(mailbox, port):
    outcome = await _channel(port).send(_alert(UNKNOWN))

    assert not outcome.sent and not outcome.transient
    assert outcome.reason is not None and "550" in outcome.reason
    assert "e-mail address" in outcome.reason
    assert UNKNOWN not in outcome.reason and "left-last-year" not in outcome.reason
    assert mailbox.received == []


@pytest.mark.parametrize("address", ["", "no-at-sign", "a@b.test\r\nBcc: x@evil.test", "a@b@c"])
async def test_an_address_that_is_not_one_is_refused_before_the_server(mailbox, port, address):
    outcome = await _channel(port).send(_alert(address))

    assert not outcome.sent and not outcome.transient
    assert outcome.reason is not None and "address" in outcome.reason
    assert mailbox.received == []


async def test_a_deferring_server_is_a_transient_failure(mailbox, port):
    outcome = await _channel(port).send(_alert(BUSY))

    assert not outcome.sent and outcome.transient
    assert outcome.reason is not None and "451" in outcome.reason
    assert mailbox.received == []


async def test_server_down_is_transient_and_the_retry_delivers_once(port):
    channel = _channel(port)
    alert = _alert("duty.clinician@hospital.test", delivery_id="dl_retry")

    down = await channel.send(alert)
    assert not down.sent and down.transient and down.reason is not None

    box = Mailbox()
    controller = _serve(box, port)
    try:
        back = await channel.send(alert)
    finally:
        controller.stop()

    assert back.sent
    assert len(box.received) == 1
    assert box.received[0][1]["Message-ID"] == "<saathi.dl_retry@hospital.test>"


async def test_a_server_that_never_answers_is_a_transient_timeout():
    with socket.socket() as silent:  # accepts the connection, never says hello
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        outcome = await _channel(silent.getsockname()[1], timeout_s=0.5).send(
            _alert("duty.clinician@hospital.test")
        )

    assert not outcome.sent and outcome.transient
    assert outcome.reason is not None and "timed out" in outcome.reason


async def test_no_address_is_logged(mailbox, port, caplog):
    caplog.set_level("DEBUG", logger="notify")
    await _channel(port).send(_alert("duty.clinician@hospital.test"))
    await _channel(port).send(_alert(UNKNOWN))

    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("notify"))
    assert "dl_0001" in logged
    assert "duty.clinician" not in logged and "left-last-year" not in logged
