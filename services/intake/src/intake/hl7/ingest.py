"""One HL7 message in, its ACKs out: applied and logged in one transaction, ACKed after commit."""

import hashlib
import logging

import hl7
from prometheus_client import Counter
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from intake.config import IntakeSettings
from intake.ehr_handlers import apply_ehr_message
from intake.hl7 import codec
from intake.hl7.ack import TRANSIENT, Outcome, acknowledgements, unparseable_ack
from intake.hl7.mapping import ACTIONS, Header, read_header, to_command
from intake.hl7.problems import Hl7Problem
from intake.models import Hl7Message
from shared.errors import DomainError
from shared.outbox import savepoint
from shared.runtime import ServiceRuntime

log = logging.getLogger(__name__)
ACK_SEPARATOR = "\x1c"  # between the stored ACKs of one message (never inside an ACK)

HL7_MESSAGES = Counter(
    "saathi_hl7_messages_total",
    "HL7 messages answered, by trigger and outcome (AA, AE, AR, transient, resend)",
    ["trigger", "outcome"],
)


class Hl7Ingest:
    """Turns raw HL7 bytes into committed effects and the ACKs that report them."""

    def __init__(self, runtime: ServiceRuntime, settings: IntakeSettings) -> None:
        self.runtime = runtime
        self.settings = settings

    async def receive(self, raw: bytes) -> list[str]:
        """ACKs for one message. AA is only ever returned after the commit succeeded."""
        try:
            message = codec.parse(raw)
            header = read_header(message)
        except Hl7Problem as problem:
            _count("", "AR")
            return [unparseable_ack(problem)]
        if header.sender not in self.settings.hl7_senders:
            _count(header.trigger, "AR")
            refusal = Hl7Problem("AR", 207, "this sender is not allowed to send to Saathi")
            return acknowledgements(message, header, Outcome.refused(refusal))
        digest = hashlib.sha256(raw).hexdigest()
        try:
            return await self._apply_once(message, header, digest)
        except IntegrityError:
            # The same MSH-10 committed meanwhile on another connection: answer as it was.
            stored = await self._stored(header)
            if stored is not None:
                _count(header.trigger, "resend")
                return stored
            log.exception("hl7 message could not be stored")
        except Exception:
            log.exception("hl7 message could not be stored")
        _count(header.trigger, "transient")
        return acknowledgements(message, header, TRANSIENT)

    async def _apply_once(self, message: hl7.Message, header: Header, digest: str) -> list[str]:
        async with self.runtime.unit_of_work() as session:
            stored = await session.get(Hl7Message, (header.sender, header.control_id))
            if stored is not None:
                if stored.digest != digest:
                    log.warning(
                        "hl7 resend with the same MSH-10 but different content; "
                        "answered with the first ACK",
                        extra={"sender": header.sender},
                    )
                _count(header.trigger, "resend")
                return stored.ack.split(ACK_SEPARATOR)
            outcome = await self._outcome(session, message, header)
            acks = acknowledgements(message, header, outcome)
            session.add(
                Hl7Message(
                    sender=header.sender,
                    control_id=header.control_id,
                    message_type=f"{header.message_code}^{header.trigger}"[:16],
                    ack_code=outcome.code,
                    ack=ACK_SEPARATOR.join(acks),
                    digest=digest,
                )
            )
        _count(header.trigger, outcome.code)
        return acks

    async def _outcome(
        self, session: AsyncSession, message: hl7.Message, header: Header
    ) -> Outcome:
        sender = self.settings.hl7_senders[header.sender]
        try:
            command = to_command(message, header, sender)
            async with savepoint(session):
                done = await apply_ehr_message(
                    session, command, self.settings.branches, self.settings.default_language
                )
        except Hl7Problem as problem:
            return Outcome.refused(problem)
        except DomainError as error:
            return Outcome.refused(Hl7Problem("AE", 207, error.reason))
        return Outcome("AA", done)

    async def _stored(self, header: Header) -> list[str] | None:
        async with self.runtime.sessionmaker() as session:
            stored = await session.get(Hl7Message, (header.sender, header.control_id))
            return stored.ack.split(ACK_SEPARATOR) if stored else None


def _count(trigger: str, outcome: str) -> None:
    """Count an answer; unknown triggers share one label so senders cannot grow the metric."""
    HL7_MESSAGES.labels(trigger if trigger in ACTIONS else "other", outcome).inc()
