"""Crisis REST API: duty rosters per branch, flagging, acknowledging and resolving crises."""

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, status
from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from sessions.crisis import handlers, rosters
from sessions.crisis.models import Crisis, DutyRoster
from sessions.crisis.options import CrisisOptions
from sessions.crisis.readiness import CrisisReach
from sessions.crisis.schemas import (
    AcknowledgeRequest,
    CrisisRequest,
    CrisisView,
    DutyRosterRequest,
    DutyRosterView,
    ResolveRequest,
    ShiftRequest,
)
from sessions.reach import REACH, ensure_match
from shared.access import Access, allow, claim_person, ensure_visible, visible
from shared.db import get_or_not_found
from shared.depends import Runtime, options
from shared.errors import NotFound
from shared.fields import Offset, RecordIdPath
from shared.web import ERROR_RESPONSES

RosterKeeper = Annotated[Access, allow("coordinator")]
RosterReader = Annotated[Access, allow("coordinator", "clinician", "supervisor")]
Raiser = Annotated[Access, allow("coordinator", "clinician", "mentor")]
Responder = Annotated[Access, allow("coordinator", "clinician", "supervisor")]
Watcher = Annotated[Access, allow("coordinator", "clinician", "supervisor", "mentor")]
Options = Annotated[CrisisOptions, options(CrisisOptions)]
Reach = Annotated[CrisisReach, options(CrisisReach)]
"""Told of every change to who hears a crisis (for readiness and the unheard-crises gauge)."""

router = APIRouter(tags=["crises"], responses=ERROR_RESPONSES)


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
    if row is not None:
        people = handlers.alerted_so_far(row) | {link.get("person_id") for link in row.chain}
        if access.subject in people:
            return
    await ensure_crisis(session, access, crisis_id)


def ensure_branch(access: Access, branch: str) -> None:
    """404 for another branch's roster (supervisors serve every branch); the network on-call's
    is every branch's, kept by a network-wide coordinator."""
    if branch == rosters.NETWORK and access.reaches_every_patient:
        return
    if access.role != "supervisor" and not access.reaches_branch(branch):
        raise NotFound(f"no duty roster for {branch!r}")


def roster_view(row: DutyRoster, now: datetime) -> DutyRosterView:
    """A roster, with the shift on duty now."""
    shift = rosters.roster_of(row.time_zone, row.shifts).on_duty(now)
    return DutyRosterView.model_validate(
        {
            **row.model_dump(),
            "shifts": [ShiftRequest.model_validate(s) for s in row.shifts],
            "on_duty_now": shift.name if shift else None,
        }
    )


@router.put(
    "/duty-rosters/{branch}",
    response_model=DutyRosterView,
    summary="Set a branch's duty roster: shifts with their chains (alert order); "
    "`network`: the network on-call",
)
async def set_roster(
    branch: RecordIdPath,
    request: DutyRosterRequest,
    runtime: Runtime,
    opts: Options,
    reach: Reach,
    access: RosterKeeper,
) -> DutyRosterView:
    ensure_branch(access, branch)
    now = opts.clock.now()
    async with runtime.unit_of_work() as session:
        roster = await handlers.set_roster(session, branch, request, opts, now)
        await reach.refresh(session)
        return roster_view(roster, now)


@router.get(
    "/duty-rosters/{branch}",
    response_model=DutyRosterView,
    summary="A branch's duty roster (`network`: the network on-call)",
)
async def get_roster(
    branch: RecordIdPath, runtime: Runtime, opts: Options, access: RosterReader
) -> DutyRosterView:
    ensure_branch(access, branch)
    now = opts.clock.now()
    async with runtime.sessionmaker() as session:
        row = await session.get(DutyRoster, branch)
    if row is None and branch == rosters.NETWORK and opts.network_on_call is not None:
        on_call = opts.network_on_call
        row = DutyRoster(
            branch=branch,
            time_zone=on_call.time_zone,
            shifts=rosters.shifts_of(on_call),
            updated_at=now,
            version=0,
        )
    if row is None:
        raise NotFound(f"no duty roster for {branch!r}")
    return roster_view(row, now)


@router.post(
    "/crises",
    response_model=CrisisView,
    status_code=status.HTTP_201_CREATED,
    summary="Flag a crisis (one step): the branch's clinician on duty is alerted at once",
)
async def flag(
    request: CrisisRequest, runtime: Runtime, opts: Options, reach: Reach, access: Raiser
) -> Crisis:
    async with runtime.unit_of_work() as session:
        await ensure_match(session, access, request.match_id)
        row = await handlers.flag(session, request, opts, opts.clock.now())
        await reach.refresh(session)
        return row


@router.get("/crises", response_model=list[CrisisView], summary="Crises, newest first")
async def list_crises(
    runtime: Runtime,
    access: Watcher,
    branch: str | None = None,
    mentor_id: str | None = None,
    status_filter: Literal["open", "acknowledged", "resolved"] | None = Query(None, alias="status"),
    offset: Offset = 0,
    limit: int = Query(100, ge=1, le=1000),
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
async def get_crisis(crisis_id: RecordIdPath, runtime: Runtime, access: Watcher) -> Crisis:
    async with runtime.sessionmaker() as session:
        await ensure_responder(session, access, crisis_id)
        return await get_or_not_found(session, Crisis, crisis_id, f"crisis {crisis_id!r}")


@router.post(
    "/crises/{crisis_id}/acknowledge",
    response_model=CrisisView,
    summary="Take the crisis on: escalation stops",
)
async def acknowledge(
    crisis_id: RecordIdPath,
    request: AcknowledgeRequest,
    runtime: Runtime,
    opts: Options,
    access: Responder,
) -> Crisis:
    claim_person(access, request.person_id, "person_id")
    async with runtime.unit_of_work() as session:
        await ensure_responder(session, access, crisis_id)
        return await handlers.acknowledge(session, crisis_id, request, opts.clock.now())


@router.post("/crises/{crisis_id}/resolve", response_model=CrisisView, summary="Resolve the crisis")
async def resolve(
    crisis_id: RecordIdPath,
    request: ResolveRequest,
    runtime: Runtime,
    opts: Options,
    access: Responder,
) -> Crisis:
    claim_person(access, request.person_id, "person_id")
    async with runtime.unit_of_work() as session:
        await ensure_responder(session, access, crisis_id)
        return await handlers.resolve(session, crisis_id, request, opts.clock.now())
