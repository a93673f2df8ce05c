"""One HL7 message in, its ACKs out: applied and logged in one transaction, ACKed after commit."""

import asyncio
import hashlib
import json
import logging
from collections.abc import Mapping

from opentelemetry import trace
from prometheus_client import Counter
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from intake.audit import AuditRecord
from intake.config import Hl7Sender
from intake.ehr.domain import EhrMessage, EhrOptions
from intake.ehr.message_handlers import apply_ehr_message
from intake.hl7 import codec
from intake.hl7.ack import TRANSIENT, Outcome, acknowledgements, unparseable_ack
from intake.hl7.group import Pending, admit_unseen
from intake.hl7.mapping import ACTIONS, Header, read_header, to_command
from intake.hl7.models import Hl7Message
from intake.hl7.problems import Hl7Problem
from intake.identity import lookups
from shared.audit import AuditContext, add_to_transaction, noted
from shared.errors import DomainError
from shared.runtime import ServiceRuntime
from shared.tracing import current_trace_id

log = logging.getLogger(__name__)
MAX_GROUP = 64  # messages applied in one transaction at most

HL7_MESSAGES = Counter(
    "saathi_hl7_messages_total",
    "HL7 messages answered, by trigger and outcome (AA, AE, AR, transient, resend)",
    ["trigger", "outcome"],
)


class Hl7Ingest:
    """Turns raw HL7 bytes into committed effects and the ACKs that report them.

    Messages arriving together on several connections are applied in one transaction (group
    commit); each is still acknowledged only after that commit.
    """

    def __init__(
        self, runtime: ServiceRuntime, senders: Mapping[str, Hl7Sender], options: EhrOptions
    ) -> None:
        self.runtime = runtime
        self.senders = senders
        self.options = options
        self._queue: list[Pending] = []
        self._writer: asyncio.Task[None] | None = None

    async def receive(self, raw: bytes, peer: str | None = None) -> list[str]:
        """ACKs for one message from the connection's `peer` address. AA is only ever
        returned after the commit succeeded."""
        try:
            message = codec.parse(raw)
            header = read_header(message)
        except Hl7Problem as problem:
            _count("", "AR")
            return [unparseable_ack(problem)]
        sender = self.senders.get(header.sender)
        _name_span(header, known_sender=sender is not None)
        if sender is None:
            _count(header.trigger, "AR")
            refusal = Hl7Problem("AR", 207, "this sender is not allowed to send to Saathi")
            return acknowledgements(message, header, Outcome.refused(refusal))
        if not sender.allows(peer):
            _count(header.trigger, "AR")
            log.warning("hl7 sender %s refused from an address it is not allowed", header.sender)
            refusal = Hl7Problem("AR", 207, "this sender may not send from this address")
            return acknowledgements(message, header, Outcome.refused(refusal))
        try:
            command: EhrMessage | Outcome = to_command(message, header, sender)
        except Hl7Problem as problem:
            command = Outcome.refused(problem)
        pending = Pending(message, header, command, raw)
        self._queue.append(pending)
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_queued(), name="hl7-group-commit")
        try:
            return await asyncio.shield(pending.answered)
        except Exception:
            log.exception("hl7 message could not be answered")
            return [unparseable_ack(Hl7Problem("AR", 207, "intake failed on this message"))]

    async def _write_queued(self) -> None:
        while self._queue:
            batch, self._queue = self._queue[:MAX_GROUP], self._queue[MAX_GROUP:]
            try:
                try:
                    answers = await self._commit_together(batch)
                except (DomainError, IntegrityError):
                    # One of them cannot apply (or raced a resend): each on its own, so the
                    # others are not held back by it.
                    answers = [await self._commit_alone(item) for item in batch]
                for item, acks in zip(batch, answers, strict=True):
                    item.answered.set_result(acks)
            except BaseException as error:
                # Whatever went wrong, nobody is left waiting (and nothing was acknowledged).
                for item in batch:
                    if not item.answered.done():
                        item.answered.set_exception(error)
                if not isinstance(error, Exception):
                    raise

    async def _commit_together(self, batch: list[Pending]) -> list[list[str]]:
        try:
            async with self.runtime.unit_of_work() as session:
                answered = await admit_unseen(session, batch, self.options, feed_context)
                rest = [item for index, item in enumerate(batch) if index not in answered]
                if len(rest) > 1:
                    await _prefetch(session, rest)
                results = [
                    answered[index] if index in answered else await self._apply(session, item)
                    for index, item in enumerate(batch)
                ]
        except (DomainError, IntegrityError):
            if len(batch) > 1:
                raise
            return [await self._commit_alone(batch[0])]
        except Exception:
            log.exception("hl7 messages could not be stored")
            return [self._transient(item) for item in batch]
        for item, (_, code) in zip(batch, results, strict=True):
            _count(item.header.trigger, code)
        return [acks for acks, _ in results]

    async def _commit_alone(self, item: Pending) -> list[str]:
        """One message in its own transaction; a refusal found while applying rolls its
        effect back and is logged in a transaction of its own."""
        try:
            try:
                async with self.runtime.unit_of_work() as session:
                    acks, code = await self._apply(session, item)
            except DomainError as error:
                refused = Outcome.refused(Hl7Problem("AE", 207, error.reason))
                async with self.runtime.unit_of_work() as session:
                    acks, code = self._log(session, item, refused)
        except IntegrityError:
            # The same MSH-10 committed meanwhile on another connection: answer as it was.
            stored = await self._stored(item.header)
            if stored is None:
                log.exception("hl7 message could not be stored")
                return self._transient(item)
            acks, code = stored, "resend"
        except Exception:
            log.exception("hl7 message could not be stored")
            return self._transient(item)
        _count(item.header.trigger, code)
        return acks

    async def _apply(self, session: AsyncSession, item: Pending) -> tuple[list[str], str]:
        """Apply and log one message in the caller's transaction (raises DomainError)."""
        header = item.header
        key = (header.sender, header.control_id)
        cache = lookups.cached(session)
        if cache is not None and key in cache.logs:
            stored = cache.logs[key]
        else:
            stored = await session.get(Hl7Message, key)
        if stored is not None:
            if stored.digest != hashlib.sha256(item.raw).hexdigest():
                log.warning(
                    "hl7 resend with the same MSH-10 but different content; answered as the first",
                    extra={"sender": header.sender},
                )
            return json.loads(stored.ack), "resend"
        outcome = item.command
        if not isinstance(outcome, Outcome):
            # The message's own flush keeps a group commit from crediting one message's
            # patients to the next one's sender in the audit trail.
            with trace.use_span(item.span), noted(feed_context(header)) as context:
                done = await apply_ehr_message(session, outcome, self.options)
                await session.flush()
            add_to_transaction(session, context, "AA")
            outcome = Outcome("AA", done)
        return self._log(session, item, outcome)

    @staticmethod
    def _log(session: AsyncSession, item: Pending, outcome: Outcome) -> tuple[list[str], str]:
        acks = acknowledgements(item.message, item.header, outcome)
        log_row = Hl7Message(**item.log_row(outcome, acks))
        session.add(log_row)
        lookups.remember_log(session, log_row)
        return acks, outcome.code

    @staticmethod
    def _transient(item: Pending) -> list[str]:
        _count(item.header.trigger, "transient")
        return acknowledgements(item.message, item.header, TRANSIENT)

    async def _stored(self, header: Header) -> list[str] | None:
        async with self.runtime.sessionmaker() as session:
            stored = await session.get(Hl7Message, (header.sender, header.control_id))
            return json.loads(stored.ack) if stored else None


def feed_context(header: Header) -> AuditContext:
    """The audit trail's view of one HL7 message: the sending system writing for EHR sync."""
    return AuditContext(
        model=AuditRecord,
        subject=header.sender[:120],
        role="ehr_feed",
        branch=None,
        operation=f"HL7 {header.message_code}^{header.trigger}",
        record=f"MSH-10 {header.control_id}",
        purpose="ehr_sync",
        trace_id=current_trace_id(),
    )


async def _prefetch(session: AsyncSession, batch: list[Pending]) -> None:
    """One query per kind for what the group will read (not for merges: they move identifiers
    in bulk, and the group then reads as it goes)."""
    commands = [item.command for item in batch if isinstance(item.command, EhrMessage)]
    if any(command.action == "merge" for command in commands):
        return
    await lookups.prefetch(
        session,
        identifiers={i for command in commands for i in command.patient.identifiers},
        visits={(c.visit.authority, c.visit.number) for c in commands if c.visit is not None},
        logs={(item.header.sender, item.header.control_id) for item in batch},
    )


def _name_span(header: Header, known_sender: bool) -> None:
    """Name the message's MLLP span by its type and say which configured sender sent it (an
    unknown sender's MSH-4 is not repeated: it is whatever the peer wrote)."""
    span = trace.get_current_span()
    known = header.message_code == "ADT" and header.trigger in ACTIONS
    kind = f"ADT^{header.trigger}" if known else "other"
    span.update_name(f"MLLP {kind}")
    span.set_attribute("hl7.message_type", kind)
    span.set_attribute("hl7.sender", header.sender if known_sender else "unknown")


def _count(trigger: str, outcome: str) -> None:
    """Count an answer; unknown triggers share one label so senders cannot grow the metric."""
    HL7_MESSAGES.labels(trigger if trigger in ACTIONS else "other", outcome).inc()
