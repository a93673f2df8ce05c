"""Storing the audit trail around a request: the context a request starts, the reads stored
before the answer leaves, and refusals."""

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from fastapi import HTTPException, Request, status

from shared.audit import DEFAULT_PURPOSE, PURPOSE_HEADER, PURPOSES, AuditContext
from shared.tracing import current_trace_id

if TYPE_CHECKING:
    from shared.access import Access

log = logging.getLogger(__name__)
WITHHELD = "the audit trail could not be written, so nothing was done or shown; try again"


def audit_context(request: Request, access: "Access") -> AuditContext | None:
    """The audit context of a request (None: the service keeps no trail)."""
    model = getattr(request.app.state, "audit_model", None)
    if model is None:
        return None
    purpose = request.headers.get(PURPOSE_HEADER) or DEFAULT_PURPOSE.get(access.role, "other")
    if purpose not in PURPOSES:
        raise HTTPException(
            status.HTTP_400_BAD_REQUEST,
            detail=f"unknown purpose of use {purpose[:40]!r}; one of {', '.join(sorted(PURPOSES))}",
        )
    route = request.scope.get("route")
    operation = f"{request.method} {getattr(route, 'path', request.url.path)}"
    return AuditContext(
        model=model,
        subject=access.subject,
        role=access.role,
        branch=access.branch,
        operation=operation,
        record=request.url.path,
        purpose=purpose,
        trace_id=current_trace_id(),
    )


async def _store(request: Request, rows: Sequence[object]) -> None:
    if not rows:
        return
    try:
        async with request.app.state.runtime.unit_of_work() as session:
            session.add_all(rows)
    except Exception as error:
        log.error("audit trail write failed: %s", type(error).__name__)
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail=WITHHELD) from None


async def store_reads(request: Request, context: AuditContext | None) -> None:
    """Store what the request read (and wrote) that its transactions did not already store."""
    if context is None:
        return
    pairs = context.unstored()
    await _store(request, [context.row(ref, action, "ok") for ref, action in pairs])
    context.stored.update(pairs)


async def store_refusal(request: Request, context: AuditContext | None, code: int) -> None:
    """Record a refused or failed request, against each patient it named or touched."""
    if context is None:
        return
    named = request.path_params.get("patient_ref")
    patients = {*context.read, *context.written, *([named] if named else [])}
    rows = [context.row(ref, "refused", str(code)) for ref in sorted(patients)]
    await _store(request, rows or [context.row(None, "refused", str(code))])
