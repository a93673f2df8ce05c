"""A group commit's admissions of unseen patients, applied with bulk statements.

The messages of a group that admit (A01, A04) a patient and a visit intake has never seen,
touching no identifier, visit or MSH-10 another message of the group touches, do not depend on
the rest of the group: they are read with one query per kind, decided in memory and written
with one INSERT per table (patients, identifiers, episodes, HL7 log, audit trail; outbox rows
with the rest of the transaction). The other messages take the per-message path.
"""

import asyncio
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import hl7
from opentelemetry import trace
from sqlalchemy.ext.asyncio import AsyncSession

from intake.audit import AuditRecord
from intake.ehr import bulk
from intake.ehr.domain import EhrMessage, EhrOptions
from intake.hl7.ack import Outcome, acknowledgements
from intake.hl7.mapping import Header
from intake.hl7.models import Hl7Message
from shared.audit import AuditContext
from shared.contracts.envelope import utcnow
from shared.contracts.intake import EpisodeAdmitted
from shared.outbox import stage

ADMITTED = "new episode, admitted"  # what the per-message path reports for the same step


@dataclass
class Pending:
    """A parsed message waiting for the next group commit."""

    message: hl7.Message
    header: Header
    command: EhrMessage | Outcome
    raw: bytes
    # The message's MLLP span: a group commit applies each message under its own trace.
    span: trace.Span = field(default_factory=trace.get_current_span)
    answered: asyncio.Future[list[str]] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )

    @property
    def key(self) -> tuple[str, str]:
        """The message's key in the HL7 log: sender and MSH-10."""
        return (self.header.sender, self.header.control_id)

    def log_row(self, outcome: Outcome, acks: list[str]) -> dict[str, Any]:
        """The HL7 log's row for this message answered with `acks`."""
        header = self.header
        return {
            "sender": header.sender,
            "control_id": header.control_id,
            "message_type": f"{header.message_code}^{header.trigger}"[:16],
            "ack_code": outcome.code,
            "ack": json.dumps(acks),
            "digest": hashlib.sha256(self.raw).hexdigest(),
            "received_at": utcnow(),
        }


def _admission(item: Pending, options: EhrOptions) -> bulk.NewAdmission | None:
    command = item.command
    if not isinstance(command, EhrMessage) or command.action != "admit":
        return None
    visit = command.visit
    if visit is None or visit.branch not in options.branches:
        return None  # the per-message path refuses it with the reason
    language = command.patient.language or options.default_language
    return bulk.NewAdmission(command.patient, visit, language)


def _touches(item: Pending) -> set[object]:
    """Every identifier and visit a message reads or writes, and its MSH-10 key."""
    touched: set[object] = {("msh", *item.key)}
    command = item.command
    if isinstance(command, EhrMessage):
        touched.update(command.patient.identifiers, command.merge_from)
        if command.visit is not None:
            touched.add((command.visit.authority, command.visit.number))
    return touched


async def admit_unseen(
    session: AsyncSession,
    batch: Sequence[Pending],
    options: EhrOptions,
    context: Callable[[Header], AuditContext],
) -> dict[int, tuple[list[str], str]]:
    """Apply the group's independent admissions of unseen patients in the caller's
    transaction; return their ACKs and codes by position. `context(header)` is the audit
    context of a message."""
    uses: dict[object, int] = {}
    for item in batch:
        for touched in _touches(item):
            uses[touched] = uses.get(touched, 0) + 1
    chosen = {
        index: admission
        for index, item in enumerate(batch)
        if (admission := _admission(item, options)) is not None
        and all(uses[touched] == 1 for touched in _touches(item))
    }
    if not chosen:
        return {}
    known = await bulk.seen(
        session,
        identifiers={i for admission in chosen.values() for i in admission.patient.identifiers},
        visits={(a.visit.authority, a.visit.number) for a in chosen.values()},
        messages={batch[index].key for index in chosen},
    )
    fresh = bulk.unseen(list(chosen.values()), known)
    chosen = {
        index: admission
        for (index, admission), new in zip(chosen.items(), fresh, strict=True)
        if new and batch[index].key not in known.messages
    }
    states = await bulk.write(session, list(chosen.values()))
    answers, logs, audit = {}, [], []
    outcome = Outcome("AA", ADMITTED)
    for index, state in zip(chosen, states, strict=True):
        item = batch[index]
        with trace.use_span(item.span):
            stage(session, EpisodeAdmitted.new(state, branch=state.branch))
            audit.append(context(item.header).values(state.patient_ref, "write", "AA"))
        acks = acknowledgements(item.message, item.header, outcome)
        logs.append(item.log_row(outcome, acks))
        answers[index] = (acks, "AA")
    await bulk.insert_rows(session, Hl7Message, logs)
    await bulk.insert_rows(session, AuditRecord, audit)
    return answers
