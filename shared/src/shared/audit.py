"""The audit trail: every read and write of patient data through the API, by whom, in which
role and branch, for what purpose (with the Mental Healthcare Act 2017 s.23(2) basis when the
data is disclosed beyond peer support), with the outcome, time and trace id.

Rows are found at the repository: any ORM row with a `patient_ref` loaded or written while a
request is being served is noted. A write's rows are added to the write's own transaction, so
if they cannot be stored the write does not happen either; a read's rows are stored before the
answer leaves, and a read whose trail cannot be stored is not answered. The table refuses
UPDATE and DELETE (a trigger on each backend)."""

import contextlib
import contextvars
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, event, insert
from sqlalchemy.orm import Session
from sqlmodel import Field, SQLModel

from shared.contracts.envelope import utcnow
from shared.tracing import current_trace_id

PURPOSES = {
    "care_coordination",
    "peer_support",
    "supervision",
    "treatment",
    "emergency",
    "ehr_sync",
    "privacy_audit",
    "court_order",
    "dpdp_erasure",
}
DEFAULT_PURPOSE = {
    "ehr_feed": "ehr_sync",
    "coordinator": "care_coordination",
    "mentor": "peer_support",
    "supervisor": "supervision",
    "clinician": "treatment",
    "privacy_officer": "privacy_audit",
    "ops": "care_coordination",
    "local": "care_coordination",
}
# Peer support's records leave the peer team only for these reasons (MHCA 2017 s.23(2)).
DISCLOSURE_BASIS = {
    "treatment": "MHCA 2017 s.23(2)(b)",
    "emergency": "MHCA 2017 s.23(2)(e)",
    "court_order": "MHCA 2017 s.23(2)(f)",
}
ERASURE_BASIS = "DPDP Act 2023 s.12(3)"
PURPOSE_HEADER = "x-saathi-purpose"


class AuditRecordBase(SQLModel):
    """One access to one patient's data (patient_ref empty: a refused request naming none)."""

    audit_id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=DateTime(timezone=True), index=True)
    subject: str = Field(max_length=120)
    role: str = Field(max_length=32)
    branch: str | None = Field(default=None, max_length=64)
    patient_ref: str | None = Field(default=None, max_length=40, index=True)
    action: str = Field(max_length=8)  # read, write or refused
    operation: str = Field(max_length=200)  # e.g. "GET /sessions/{session_id}"
    record: str = Field(max_length=300)  # the path asked for
    purpose: str = Field(max_length=32)
    legal_basis: str | None = Field(default=None, max_length=40)
    outcome: str = Field(max_length=16)  # ok, or the HTTP status of a refusal
    trace_id: str | None = Field(default=None, max_length=32)


@dataclass
class AuditContext:
    """What one request touched, gathered while it runs."""

    model: type[AuditRecordBase]
    subject: str
    role: str
    branch: str | None
    operation: str
    record: str
    purpose: str
    trace_id: str | None
    read: set[str] = field(default_factory=set)
    written: set[str] = field(default_factory=set)
    stored: set[tuple[str, str]] = field(default_factory=set)

    @property
    def legal_basis(self) -> str | None:
        """The s.23(2) exception a disclosure beyond the peer team rests on, or the erasure
        right an erasure carries out."""
        if self.purpose == "dpdp_erasure":
            return ERASURE_BASIS
        return DISCLOSURE_BASIS.get(self.purpose) if self.role == "clinician" else None

    def row(self, patient_ref: str | None, action: str, outcome: str) -> AuditRecordBase:
        """An audit row for one patient."""
        return self.model(**self.values(patient_ref, action, outcome))

    def values(self, patient_ref: str | None, action: str, outcome: str) -> dict[str, Any]:
        """An audit row's column values, for a bulk insert."""
        # Claims and paths are the caller's to choose: cut to the columns, never fail on them.
        return dict(
            at=utcnow(),
            subject=self.subject[:120],
            role=self.role[:32],
            branch=self.branch[:64] if self.branch else None,
            patient_ref=patient_ref[:40] if patient_ref else None,  # as asked, even if garbage
            action=action,
            operation=self.operation[:200],
            record=self.record[:300],
            purpose=self.purpose,
            legal_basis=self.legal_basis,
            outcome=outcome,
            trace_id=self.trace_id,
        )

    def unstored(self) -> list[tuple[str, str]]:
        """(patient_ref, action) pairs not yet in the trail."""
        pairs = {(ref, "write") for ref in self.written} | {
            (ref, "read") for ref in self.read - self.written
        }
        return sorted(pairs - self.stored)


CURRENT: contextvars.ContextVar[AuditContext | None] = contextvars.ContextVar(
    "saathi_audit", default=None
)


def _patient_of(instance: Any) -> str | None:
    if isinstance(instance, AuditRecordBase):
        return None
    ref = getattr(instance, "patient_ref", None)
    return ref if isinstance(ref, str) else None


@event.listens_for(Session, "loaded_as_persistent")
def _note_read(session: Session, instance: Any) -> None:
    context = CURRENT.get()
    if context is not None and (ref := _patient_of(instance)) is not None:
        context.read.add(ref)


@event.listens_for(Session, "before_flush")
def _note_writes(session: Session, flush_context: Any, instances: Any) -> None:
    context = CURRENT.get()
    if context is None:
        return
    for instance in (*session.new, *session.dirty, *session.deleted):
        if (ref := _patient_of(instance)) is not None:
            context.written.add(ref)


@contextlib.contextmanager
def noted(context: AuditContext) -> Iterator[AuditContext]:
    """Note the patient data read and written inside as `context`'s (work that is not an HTTP
    request, e.g. an HL7 message); store it with `add_to_transaction`."""
    token = CURRENT.set(context)
    try:
        yield context
    finally:
        CURRENT.reset(token)


def add_to_transaction(session: Any, context: AuditContext, outcome: str) -> None:
    """Add the context's audit rows to the caller's transaction (the work's own)."""
    pairs = context.unstored()
    for ref, action in pairs:
        session.add(context.row(ref, action, outcome))
    context.stored.update(pairs)


@event.listens_for(Session, "before_commit")
def _store_with_the_write(session: Session) -> None:
    context = CURRENT.get()
    if context is None:
        return
    _note_writes(session, None, None)
    pairs = context.unstored()
    if pairs:
        # One multi-row INSERT: as ORM objects the rows would be inserted one at a time (each
        # waits for its generated id), a hundred statements for a batch of admissions.
        rows = [context.values(ref, action, "ok") for ref, action in pairs]
        session.execute(insert(context.model.__table__), rows)  # type: ignore[attr-defined]
    context.stored.update(pairs)


def declare_purpose(purpose: str) -> None:
    """The request being served is for `purpose`, whatever its caller said (e.g. an erasure)."""
    context = CURRENT.get()
    if context is not None:
        context.purpose = purpose


def erasure_row(model: type[AuditRecordBase], patient_ref: str, subject: str) -> AuditRecordBase:
    """The trail's record that a service erased what it held about a patient."""
    return model(
        at=utcnow(),
        subject=subject,
        role="system",
        patient_ref=patient_ref,
        action="erase",
        operation=subject,
        record=subject,
        purpose="dpdp_erasure",
        legal_basis=ERASURE_BASIS,
        outcome="ok",
        trace_id=current_trace_id(),
    )
