"""Crisis flags: one step for the mentor, and an escalation along the branch's duty chain that
goes on until someone acknowledges. The timer is a row (`deadline_at`), so a restart or a
crashed replica neither drops nor repeats an escalation."""

import logging
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from sessions.crisis import domain
from sessions.crisis.models import Crisis, DutyRoster
from sessions.crisis.options import CrisisOptions
from sessions.crisis.schemas import (
    AcknowledgeRequest,
    CrisisRequest,
    DutyLink,
    ResolveRequest,
)
from sessions.projections.models import MatchProjection
from shared.contracts.envelope import Event
from shared.contracts.sessions import (
    CrisisAcknowledged,
    CrisisEscalated,
    CrisisFlagged,
    CrisisResolved,
    CrisisState,
)
from shared.db import get_or_not_found
from shared.outbox import stage

ESCALATION_BATCH = 200

log = logging.getLogger(__name__)


def _chain(row: Crisis) -> list[domain.OnDuty]:
    return [domain.OnDuty(**link) for link in row.chain]


def crisis_state(row: Crisis) -> CrisisState:
    """Event-carried state of a crisis (no summary, no resolution text)."""
    who = domain.alerted(_chain(row), row.level)
    return CrisisState(
        version=row.version,
        crisis_id=row.crisis_id,
        branch=row.branch,
        patient_ref=row.patient_ref,
        mentor_id=row.mentor_id,
        match_id=row.match_id,
        severity=row.severity,
        status=row.status,
        level=row.level,
        notified_person_id=who.person_id if who else None,
        notified_role=who.role if who else None,
        deadline_at=row.deadline_at,
        flagged_at=row.flagged_at,
        acknowledged_at=row.acknowledged_at,
        resolved_at=row.resolved_at,
    )


def _publish(session: AsyncSession, event_cls: type[Event], row: Crisis) -> None:
    stage(session, event_cls.new(crisis_state(row), branch=row.branch))


def ack_within(options: CrisisOptions, severity: str) -> timedelta:
    """How long the person alerted has to acknowledge a crisis of this severity."""
    seconds = options.ack_deadline_by_severity.get(severity, options.ack_deadline_s)
    return timedelta(seconds=seconds)


async def duty_chain(
    session: AsyncSession, branch: str, options: CrisisOptions
) -> list[dict[str, str]]:
    """Who a crisis at `branch` alerts: the branch's roster, else the fallback chain (empty if
    neither: nobody would hear it)."""
    roster = await session.get(DutyRoster, branch)
    return list(roster.chain) if roster and roster.chain else list(options.fallback_duty_chain)


def _warn_nobody(row: Crisis) -> None:
    log.error(
        "crisis %s at branch %s alerts nobody: the branch has no duty roster and "
        "SESSIONS_FALLBACK_DUTY_CHAIN is empty; set one (PUT /duty-rosters/%s) now",
        row.crisis_id,
        row.branch,
        row.branch,
    )


async def set_roster(
    session: AsyncSession,
    branch: str,
    chain: list[DutyLink],
    options: CrisisOptions,
    now: datetime,
) -> DutyRoster:
    """Replace a branch's duty chain. Crises already flagged keep the chain they started with,
    except those that alerted nobody: they alert the new chain's first person at once."""
    row = await session.get(DutyRoster, branch, with_for_update=True)
    links = [link.model_dump() for link in chain]
    if row is None:
        row = DutyRoster(branch=branch, chain=links, updated_at=now)
        session.add(row)
    else:
        row.chain, row.updated_at = links, now
        row.version += 1
    await session.flush()
    open_here = await session.scalars(
        select(Crisis)
        .where(col(Crisis.branch) == branch, col(Crisis.status) == "open")
        .with_for_update()
    )
    for crisis in open_here:
        if not crisis.chain:
            _adopt(session, crisis, links, options, now)
    await session.flush()
    return row


def _adopt(
    session: AsyncSession,
    row: Crisis,
    chain: list[dict[str, str]],
    options: CrisisOptions,
    now: datetime,
) -> None:
    """A crisis that alerted nobody takes on the chain now available, from its first person."""
    row.chain, row.level = chain, 0
    row.deadline_at = domain.deadline(now, ack_within(options, row.severity))
    row.version += 1
    _alert(row, now)
    _publish(session, CrisisEscalated, row)


async def flag(
    session: AsyncSession, request: CrisisRequest, options: CrisisOptions, now: datetime
) -> Crisis:
    """A mentor flags a crisis for a match's patient: the first person on the branch's duty
    chain is alerted at once and has `ack_within` to acknowledge."""
    what = f"match {request.match_id!r} known to sessions"
    match = await get_or_not_found(session, MatchProjection, request.match_id, what)
    chain = await duty_chain(session, match.branch, options)
    row = Crisis(
        crisis_id=domain.new_crisis_id(),
        branch=match.branch,
        patient_ref=match.patient_ref,
        mentor_id=match.mentor_id,
        match_id=match.match_id,
        session_id=request.session_id,
        severity=request.severity,
        summary=request.summary,
        status="open",
        chain=chain,
        level=0,
        deadline_at=domain.deadline(now, ack_within(options, request.severity)),
        alerts=[],
        flagged_at=now,
    )
    _alert(row, now)
    session.add(row)
    _publish(session, CrisisFlagged, row)
    await session.flush()
    if not chain:
        _warn_nobody(row)
    return row


def _alert(row: Crisis, now: datetime) -> None:
    who = domain.alerted(_chain(row), row.level)
    entry = {"level": row.level, "at": now.isoformat()}
    if who is not None:
        entry |= {"person_id": who.person_id, "role": who.role}
    row.alerts = [*row.alerts, entry]


async def _crisis(session: AsyncSession, crisis_id: str) -> Crisis:
    return await get_or_not_found(
        session, Crisis, crisis_id, f"crisis {crisis_id!r}", for_update=True
    )


async def acknowledge(
    session: AsyncSession, crisis_id: str, request: AcknowledgeRequest, now: datetime
) -> Crisis:
    """Someone alerted takes the crisis on: escalation stops."""
    row = await _crisis(session, crisis_id)
    domain.check_can_acknowledge(row.status, request.person_id, _chain(row), row.level)
    row.status, row.acknowledged_by, row.acknowledged_at = "acknowledged", request.person_id, now
    row.deadline_at = None
    row.version += 1
    _publish(session, CrisisAcknowledged, row)
    await session.flush()
    return row


async def resolve(
    session: AsyncSession, crisis_id: str, request: ResolveRequest, now: datetime
) -> Crisis:
    """Someone on the duty chain resolves the crisis (acknowledging it if nobody had)."""
    row = await _crisis(session, crisis_id)
    domain.check_can_resolve(row.status, request.person_id, _chain(row))
    if row.acknowledged_at is None:
        row.acknowledged_by, row.acknowledged_at = request.person_id, now
    row.status, row.resolved_by, row.resolved_at = "resolved", request.person_id, now
    row.resolution, row.deadline_at = request.resolution, None
    row.version += 1
    _publish(session, CrisisResolved, row)
    await session.flush()
    return row


async def escalate_due(session: AsyncSession, options: CrisisOptions, now: datetime) -> int:
    """Alert the next person for every open crisis past its deadline; return how many. Rows
    another replica is escalating are skipped, so each step happens exactly once."""
    due = await session.scalars(
        select(Crisis)
        .where(col(Crisis.status) == "open", col(Crisis.deadline_at) <= now)
        .order_by(col(Crisis.deadline_at))
        .limit(ESCALATION_BATCH)
        .with_for_update(skip_locked=True)
    )
    escalated = 0
    for row in due:
        if not row.chain:
            escalated += await _retry_unheard(session, row, options, now)
            continue
        row.level += 1
        row.deadline_at = domain.deadline(now, ack_within(options, row.severity))
        row.version += 1
        _alert(row, now)
        _publish(session, CrisisEscalated, row)
        escalated += 1
    await session.flush()
    return escalated


async def _retry_unheard(
    session: AsyncSession, row: Crisis, options: CrisisOptions, now: datetime
) -> int:
    """A crisis that alerted nobody: alert the branch's chain if there is one now; else say so
    again (once per deadline) and keep trying."""
    chain = await duty_chain(session, row.branch, options)
    if chain:
        _adopt(session, row, chain, options, now)
        return 1
    row.deadline_at = domain.deadline(now, ack_within(options, row.severity))
    _warn_nobody(row)
    return 0
