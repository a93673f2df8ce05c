"""The privacy officer's view of a service's audit trail: who touched a patient's data, when,
why and with what outcome (reading the trail is itself recorded)."""

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlmodel import col

from shared.access import Access, allow
from shared.audit import AuditRecordBase
from shared.errors import ERROR_RESPONSES
from shared.fields import RecordId
from shared.runtime import ServiceRuntime

PRIVACY_OFFICER = allow("privacy_officer")


class AuditView(BaseModel):
    """One entry of the trail."""

    model_config = ConfigDict(from_attributes=True)

    audit_id: int
    at: datetime
    subject: str
    role: str
    branch: str | None
    patient_ref: str | None
    action: str
    operation: str
    record: str
    purpose: str
    legal_basis: str | None
    outcome: str
    trace_id: str | None


def build_audit_router(runtime: ServiceRuntime, model: type[AuditRecordBase]) -> APIRouter:
    """`GET /audit`: the trail for a patient, or for everyone in a period."""
    router = APIRouter(tags=["audit"], responses=ERROR_RESPONSES)
    table: Any = model  # the service's own table class

    @router.get("/audit", response_model=list[AuditView], summary="The audit trail, oldest first")
    async def trail(
        patient_ref: RecordId | None = None,
        subject: str | None = Query(None, max_length=120),
        since: datetime | None = None,
        until: datetime | None = None,
        after_id: int = Query(
            0, ge=0, le=2**62, description="page on: the last audit_id already seen"
        ),
        limit: int = Query(500, ge=1, le=5000),
        _: Access = PRIVACY_OFFICER,
    ) -> list[AuditRecordBase]:
        query = select(table).where(col(table.audit_id) > after_id)
        for column, value in ((table.patient_ref, patient_ref), (table.subject, subject)):
            if value is not None:
                query = query.where(col(column) == value)
        if since is not None:
            query = query.where(col(table.at) >= since)
        if until is not None:
            query = query.where(col(table.at) < until)
        async with runtime.sessionmaker() as session:
            return list(await session.scalars(query.order_by(col(table.audit_id)).limit(limit)))

    return router
