"""E-mail over SMTP. One connection per message (alerts are few and must not wait on a pooled
connection that a relay has silently dropped). The Message-ID comes from the delivery id, so a
resend after a crash is the same message to the relay and to the mail client. Addresses are
never logged, and a server's reply text (which often repeats the address) is never kept."""

import hashlib
import html
import logging
import re
from email.message import EmailMessage
from email.utils import formatdate

import aiosmtplib

from notify.channels.base import DeliveryOutcome, OutgoingMessage, text_with_link

log = logging.getLogger(__name__)

_SAFE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
_ADDRESS = re.compile(r"[^@\s<>,;:\"()\[\]]{1,64}@[A-Za-z0-9.-]{1,253}")


def message_id(delivery_id: str, sender: str) -> str:
    """`<saathi.DELIVERY@DOMAIN>`: the same for every attempt at one delivery."""
    domain = sender.rpartition("@")[2] or "saathi.invalid"
    local = delivery_id if _SAFE_ID.fullmatch(delivery_id) else _digest(delivery_id)
    return f"<saathi.{local}@{domain}>"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _html(body: str, ack_url: str | None) -> str:
    """The text as paragraphs, the acknowledgement link as a link: nothing the text lacks."""
    escaped = html.escape(body)
    if ack_url:
        shown = html.escape(ack_url)
        link = f'<a href="{html.escape(ack_url, quote=True)}">{shown}</a>'
        escaped = escaped.replace(shown, link)
    paragraphs = "".join(
        f"<p>{part.replace(chr(10), '<br>')}</p>" for part in escaped.split("\n\n") if part.strip()
    )
    return f'<!doctype html><html><body style="font-family:sans-serif">{paragraphs}</body></html>'


def build_email(message: OutgoingMessage, sender: str, *, with_html: bool) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.address
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=False, usegmt=True)
    email["Message-ID"] = message_id(message.delivery_id, sender)
    email["Auto-Submitted"] = "auto-generated"
    email["X-Auto-Response-Suppress"] = "All"
    email["X-Saathi-Kind"] = message.kind
    body = text_with_link(message)
    email.set_content(body)
    if with_html:
        email.add_alternative(_html(body, message.ack_url), subtype="html")
    email["Content-Language"] = message.language  # after the parts: they take Content-* headers
    return email


def _refused(code: int, what: str, fix: str) -> DeliveryOutcome:
    if 400 <= code < 500:
        return DeliveryOutcome.retry(f"{what} deferred by the mail server ({code}); will retry")
    return DeliveryOutcome.failed(f"{what} refused by the mail server ({code}): {fix}")


def classify(error: Exception) -> DeliveryOutcome:
    """What a failed attempt means: retry later, or a person must fix something first."""
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused):
        codes = [refusal.code for refusal in error.recipients] or [550]
        return _refused(max(codes), "recipient", "check the person's e-mail address")
    if isinstance(error, aiosmtplib.SMTPRecipientRefused):
        return _refused(error.code, "recipient", "check the person's e-mail address")
    if isinstance(error, aiosmtplib.SMTPAuthenticationError):
        return _refused(error.code, "login", "check notify's SMTP username and password")
    if isinstance(error, aiosmtplib.SMTPSenderRefused):
        return _refused(error.code, "sender", "check notify's SMTP sender address")
    if isinstance(error, aiosmtplib.SMTPNotSupported):
        return DeliveryOutcome.failed(
            "the mail server does not support what notify asked for (STARTTLS or login): "
            "check notify's SMTP settings"
        )
    if isinstance(error, aiosmtplib.SMTPResponseException):
        return _refused(error.code, "message", "ask the mail administrator why it was rejected")
    if isinstance(error, TimeoutError):
        return DeliveryOutcome.retry("mail server timed out; will retry")
    return DeliveryOutcome.retry(f"mail server unreachable ({type(error).__name__}); will retry")


class SmtpChannel:
    """Sends a notification as a plain-text e-mail with a simple HTML alternative."""

    name = "email"

    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        starttls: bool = False,
        username: str | None = None,
        password: str | None = None,
        timeout_s: float = 10.0,
        *,
        with_html: bool = True,
    ) -> None:
        if "@" not in sender:
            raise ValueError("the SMTP sender must be an e-mail address")
        self.host, self.port, self.sender = host, port, sender
        self.starttls, self.username, self.password = starttls, username, password
        self.timeout_s, self.with_html = timeout_s, with_html

    async def send(self, message: OutgoingMessage) -> DeliveryOutcome:
        if not _ADDRESS.fullmatch(message.address):
            log.warning("e-mail %s (%s) not sent: bad address", message.delivery_id, message.kind)
            return DeliveryOutcome.failed("not an e-mail address: check the person's address")
        email = build_email(message, self.sender, with_html=self.with_html)
        try:
            await aiosmtplib.send(
                email,
                sender=self.sender,
                recipients=[message.address],
                hostname=self.host,
                port=self.port,
                start_tls=self.starttls,
                username=self.username,
                password=self.password,
                timeout=self.timeout_s,
            )
        except (aiosmtplib.SMTPException, OSError) as error:
            outcome = classify(error)
            log.warning(
                "e-mail %s (%s) not sent: %s",
                message.delivery_id,
                message.kind,
                outcome.reason,
                extra={"transient": outcome.transient},
            )
            return outcome
        log.info("e-mail %s (%s) handed to the mail server", message.delivery_id, message.kind)
        return DeliveryOutcome.delivered(provider_id=email["Message-ID"])
