"""Crisis REST API: duty rosters per branch, flagging, acknowledging and resolving crises."""

from typing import Literal

from fastapi import APIRouter, Query, status
from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from sessions import crisis
from sessions.config import SessionsSettings
from sessions.crisis_reach import CrisisReach
from sessions.models import Crisis, DutyRoster
from sessions.reach import REACH, ensure_match
from sessions.schemas import (
    AcknowledgeRequest,
    CrisisRequest,
    CrisisView,
    DutyRosterRequest,
    DutyRosterView,
    ResolveRequest,
)
from shared.access import Access, allow, claim_person, ensure_visible, visible
from shared.clock import Clock
from shared.db import get_or_not_found
from shared.errors import NotFound
from shared.fields import Offset, RecordIdPath
from shared.runtime import ServiceRuntime
from shared.web import ERROR_RESPONSES

ROSTER_KEEPERS = allow("coordinator")
ROSTER_READERS = allow("coordinator", "clinician", "supervisor")
RAISERS = allow("coordinator", "clinician", "mentor")
RESPONDERS = allow("coordinator", "clinician", "supervisor")
WATCHERS = allow("coordinator", "clinician", "supervisor", "mentor")


def crises_of(access: Access) -> ColumnElement[bool]:
    """The crises a caller reaches: their branch's, those they raised, their mentors'."""
    return visible(access, REACH, branch=col(Crisis.branch), mentor=col(Crisis.mentor_id))


async def ensure_crisis(session: AsyncSession, access: Access, crisis_id: str) -> None:
    """404 unless the caller reaches this crisis."""
    key = col(Crisis.crisis_id)
    await ensure_visible(session, key, crisis_id, crises_of(access), f"crisis {crisis_id!r}")


async def ensure_responder(session: AsyncSession, access: Access, crisis_id: str) -> None:
    """404 unless the caller reaches this crisis or is on its duty chain (a supervisor or an
    on-call clinician alerted for another's mentee or another branch must reach it too)."""
    row = await session.get(Crisis, crisis_id)
    if row is not None and access.subject in {link.get("person_id") for link in row.chain}:
        return
    await ensure_crisis(session, access, crisis_id)


def ensure_branch(access: Access, branch: str) -> None:
    """404 for another branch's roster (supervisors serve every branch)."""
    if access.role != "supervisor" and not access.reaches_branch(branch):
        raise NotFound(f"no duty roster for {branch!r}")


def build_crisis_router(
    runtime: ServiceRuntime, settings: SessionsSettings, clock: Clock, reach: CrisisReach
) -> APIRouter:
    """Routes for crisis escalation (`reach` is told of every change to who hears a crisis)."""
    router = APIRouter(tags=["crises"], responses=ERROR_RESPONSES)

    @router.put(
        "/duty-rosters/{branch}",
        response_model=DutyRosterView,
        summary="Set a branch's crisis duty chain (alert order)",
    )
    async def set_roster(
        branch: RecordIdPath, request: DutyRosterRequest, access: Access = ROSTER_KEEPERS
    ) -> DutyRoster:
        ensure_branch(access, branch)
        async with runtime.unit_of_work() as session:
            roster = await crisis.set_roster(session, branch, request.chain, settings, clock.now())
            await reach.refresh(session)
            return roster

    @router.get(
        "/duty-rosters/{branch}", response_model=DutyRosterView, summary="A branch's duty chain"
    )
    async def get_roster(branch: RecordIdPath, access: Access = ROSTER_READERS) -> DutyRoster:
        ensure_branch(access, branch)
        async with runtime.sessionmaker() as session:
            return await get_or_not_found(
                session, DutyRoster, branch, f"duty roster for {branch!r}"
            )

    @router.post(
        "/crises",
        response_model=CrisisView,
        status_code=status.HTTP_201_CREATED,
        summary="Flag a crisis (one step): the branch's clinician on duty is alerted at once",
    )
    async def flag(request: CrisisRequest, access: Access = RAISERS) -> Crisis:
        async with runtime.unit_of_work() as session:
            await ensure_match(session, access, request.match_id)
            row = await crisis.flag(session, request, settings, clock.now())
            await reach.refresh(session)
            return row

    @router.get("/crises", response_model=list[CrisisView], summary="Crises, newest first")
    async def list_crises(
        branch: str | None = None,
        mentor_id: str | None = None,
        status_filter: Literal["open", "acknowledged", "resolved"] | None = Query(
            None, alias="status"
        ),
        offset: Offset = 0,
        limit: int = Query(100, ge=1, le=1000),
        access: Access = WATCHERS,
    ) -> list[Crisis]:
        query = (
            select(Crisis)
            .where(crises_of(access))
            .order_by(col(Crisis.flagged_at).desc(), col(Crisis.crisis_id))
        )
        for column, value in (
            (col(Crisis.branch), branch),
            (col(Crisis.mentor_id), mentor_id),
            (col(Crisis.status), status_filter),
        ):
            if value is not None:
                query = query.where(column == value)
        async with runtime.sessionmaker() as session:
            return list(await session.scalars(query.offset(offset).limit(limit)))

    @router.get("/crises/{crisis_id}", response_model=CrisisView, summary="One crisis")
    async def get_crisis(crisis_id: RecordIdPath, access: Access = WATCHERS) -> Crisis:
        async with runtime.sessionmaker() as session:
            await ensure_responder(session, access, crisis_id)
            return await get_or_not_found(session, Crisis, crisis_id, f"crisis {crisis_id!r}")

    @router.post(
        "/crises/{crisis_id}/acknowledge",
        response_model=CrisisView,
        summary="Take the crisis on: escalation stops",
    )
    async def acknowledge(
        crisis_id: RecordIdPath, request: AcknowledgeRequest, access: Access = RESPONDERS
    ) -> Crisis:
        claim_person(access, request.person_id, "person_id")
        async with runtime.unit_of_work() as session:
            await ensure_responder(session, access, crisis_id)
            return await crisis.acknowledge(session, crisis_id, request, clock.now())

    @router.post(
        "/crises/{crisis_id}/resolve", response_model=CrisisView, summary="Resolve the crisis"
    )
    async def resolve(
        crisis_id: RecordIdPath, request: ResolveRequest, access: Access = RESPONDERS
    ) -> Crisis:
        claim_person(access, request.person_id, "person_id")
        async with runtime.unit_of_work() as session:
            await ensure_responder(session, access, crisis_id)
            return await crisis.resolve(session, crisis_id, request, clock.now())

    return router
