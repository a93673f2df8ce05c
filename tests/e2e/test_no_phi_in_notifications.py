"""A crisis about a patient admitted with marker PHI reaches the clinician on duty by e-mail
(SMTP to an aiosmtpd server the test starts) and by text (the SMS gateway webhook, a local
receiver): neither carries a marker, the e-mail's subject names no patient, and the ack link
in the e-mail works end to end: GET only shows a page, POST acknowledges the crisis in
sessions as that clinician, and a second POST is refused (410). Notify's log carries no
marker either."""

import email
import email.policy
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage

import httpx
import pytest

from e2e.conftest import running_stack
from e2e.flow import fetch_all, matches, seed
from e2e.test_no_phi_leaves_intake import MARKERS
from helpers import factories
from helpers.mailbox import Mailbox, smtp_server
from helpers.receivers import http_receiver
from helpers.waiting import wait_until

pytestmark = pytest.mark.e2e

BRANCH = "kol-salt-lake"
CLINICIAN = "dr-marker-duty"
EMAIL = "duty.clinician@hospital.test"
PHONE = "+919800000042"
SECRET = "gateway-shared-secret-for-e2e"


@dataclass
class Received:
    """What left notify: raw e-mails and webhook bodies."""

    mailbox: Mailbox
    texts: list[bytes] = field(default_factory=list)

    @property
    def mails(self) -> list[bytes]:
        return self.mailbox.mails

    async def both(self) -> bool:
        return bool(self.mails) and bool(self.texts)


@pytest.fixture
def received() -> Iterator[Received]:
    with smtp_server() as mailbox:
        yield Received(mailbox)


@pytest.fixture
def smtp_port(received: Received) -> int:
    return received.mailbox.port


@pytest.fixture
def gateway_url(received: Received) -> Iterator[str]:
    def answer(_: str, body: bytes) -> tuple[int, bytes]:
        received.texts.append(body)
        return 200, b"{}"

    with http_receiver(answer) as gateway:
        yield f"{gateway.url}/texts"


def _readable(raw: bytes) -> str:
    """The e-mail as sent and as read: headers, and every part decoded."""
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    parts = [str(part.get_content()) for part in parsed.walk() if not part.is_multipart()]
    headers = [f"{name}: {value}" for name, value in parsed.items()]
    return "\n".join([raw.decode("utf-8", "replace"), *headers, *parts])


async def test_notifications_carry_no_phi_and_the_ack_link_works(
    tmp_path, dbs, smtp_port, gateway_url, received
):
    env = {
        "NOTIFY_SMTP_HOST": "127.0.0.1",
        "NOTIFY_SMTP_PORT": str(smtp_port),
        "NOTIFY_SMTP_SENDER": "saathi-alerts@hospital.test",
        "NOTIFY_SMS_WEBHOOK_URL": gateway_url,
        "NOTIFY_SMS_WEBHOOK_SECRET": SECRET,
        "NOTIFY_LINK_SECRET": "an-e2e-link-secret-of-32-bytes!!",
        "NOTIFY_DELIVERY_INTERVAL_S": "0.2",
        "NOTIFY_DELIVERY_RETRY_BASE_S": "0.2",
        "SESSIONS_CRISIS_ACK_DEADLINE_S": "120",  # no escalation while the link is used
    }
    async with running_stack(tmp_path, dbs, env) as stack:
        sessions, notify = stack.url("sessions"), stack.url("notify")
        async with httpx.AsyncClient(timeout=10, headers=stack.auth_headers()) as client:
            await seed(client, stack, mentors_per_branch=1, capacity=2)
            body = factories.admission(
                BRANCH,
                mrn=MARKERS["mrns"][0],
                given_name=MARKERS["names"][0],
                family_name=MARKERS["names"][1],
                phone=MARKERS["phones"][0],
                abha=MARKERS["abha"][0],
                consent=factories.consent(),
            )
            made = await client.post(f"{stack.url('intake')}/admissions", json=body)
            assert made.status_code == 201, made.text
            patient_ref = made.json()["episode"]["patient_ref"]
            [match] = await wait_until(
                lambda: matches(client, stack), timeout_s=30, what="the match"
            )
            await wait_until(
                lambda: fetch_all(client, f"{sessions}/sessions"), what="sessions knows the match"
            )
            entry = {"roles": ["clinician"], "branches": [BRANCH], "email": EMAIL, "phone": PHONE}
            assert (await client.put(f"{notify}/people/{CLINICIAN}", json=entry)).is_success
            chain = {"chain": [{"person_id": CLINICIAN, "role": "clinician"}]}
            assert (await client.put(f"{sessions}/duty-rosters/{BRANCH}", json=chain)).is_success
            flagged = await client.post(
                f"{sessions}/crises", json={"match_id": match["match_id"], "severity": "high"}
            )
            assert flagged.status_code == 201, flagged.text
            crisis_id = flagged.json()["crisis_id"]

            await wait_until(received.both, timeout_s=30, what="the e-mail and the text")
            [mail] = received.mails
            readable = _readable(mail)
            subject = str(email.message_from_bytes(mail, policy=email.policy.default)["Subject"])
            [ack_url] = set(
                re.findall(r"http://127\.0\.0\.1:\d+/ack/[A-Za-z0-9._~=-]+\?via=email", readable)
            )

            # The link: GET shows a page and changes nothing; POST acknowledges, once.
            shown = await client.get(ack_url)
            assert shown.status_code == 200 and "text/html" in shown.headers["content-type"]
            crisis = (await client.get(f"{sessions}/crises/{crisis_id}")).json()
            assert crisis["status"] == "open" and crisis["acknowledged_by"] is None
            async with httpx.AsyncClient(timeout=10) as stranger:  # the link is the credential
                taken = await stranger.post(ack_url)
                assert taken.status_code == 200, taken.text
                acknowledged = await wait_until(
                    lambda: _crisis(client, f"{sessions}/crises/{crisis_id}"),
                    lambda row: row["status"] == "acknowledged",
                    timeout_s=20,
                    what="the crisis acknowledged in sessions",
                )
                again = await stranger.post(ack_url)
    assert acknowledged["acknowledged_by"] == CLINICIAN
    assert again.status_code == 410
    assert "pt_" not in subject and patient_ref not in subject
    assert BRANCH in subject  # the subject was read: decoded, not an encoded word
    [text] = received.texts
    assert "/ack/" in text.decode() and "via=sms" in text.decode()
    haystacks = {
        "e-mail": readable,
        "webhook body": text.decode("utf-8", "replace"),
        "notify's log": (tmp_path / "stack" / "logs" / "notify.log").read_text(),
    }
    for kind, values in MARKERS.items():
        for marker in values:
            for where, haystack in haystacks.items():
                assert marker not in haystack, f"{kind} marker {marker!r} in the {where}"


async def _crisis(client: httpx.AsyncClient, url: str) -> dict:
    answer = await client.get(url)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())
