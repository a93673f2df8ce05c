"""Waitlist routes: the patients waiting for a mentor (or who stopped waiting)."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from sqlalchemy import select
from sqlmodel import col

from matching.reach import REACH
from matching.waitlist.models import WaitlistEntry
from matching.waitlist.schemas import WaitlistView
from shared.access import Access, allow, visible
from shared.depends import Runtime
from shared.fields import Offset
from shared.web import ERROR_RESPONSES

PatientStaff = Annotated[Access, allow("coordinator", "clinician")]

router = APIRouter(tags=["matching"], responses=ERROR_RESPONSES)


@router.get("/waitlist", response_model=list[WaitlistView], summary="Patients waiting for a mentor")
async def list_waitlist(
    runtime: Runtime,
    access: PatientStaff,
    status_filter: Literal["waiting", "matched", "withdrawn"] = Query("waiting", alias="status"),
    branch: str | None = None,
    offset: Offset = 0,
    limit_: int = Query(100, ge=1, le=1000, alias="limit"),
) -> list[WaitlistEntry]:
    query = select(WaitlistEntry).where(col(WaitlistEntry.status) == status_filter)
    query = query.where(visible(access, REACH, branch=col(WaitlistEntry.branch)))
    if branch:
        query = query.where(col(WaitlistEntry.branch) == branch)
    async with runtime.sessionmaker() as session:
        return list(
            await session.scalars(
                query.order_by(col(WaitlistEntry.since)).offset(offset).limit(limit_)
            )
        )
