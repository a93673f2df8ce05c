"""Crisis flags: one step for the mentor, and an escalation along the branch's duty chain that
goes on until someone acknowledges. The timer is a row (`deadline_at`), so a restart or a
crashed replica neither drops nor repeats an escalation."""

import logging
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from sessions.crisis import domain, rosters
from sessions.crisis.models import Crisis, DutyRoster
from sessions.crisis.options import CrisisOptions
from sessions.crisis.schemas import (
    AcknowledgeRequest,
    CrisisRequest,
    DutyRosterRequest,
    ResolveRequest,
)
from sessions.crisis.shifts import overlaps
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
from shared.errors import Invalid
from shared.outbox import stage

ESCALATION_BATCH = 200

log = logging.getLogger(__name__)


def _chain(row: Crisis) -> list[domain.OnDuty]:
    return [domain.OnDuty(**link) for link in row.chain]


def _now_alerted(row: Crisis) -> domain.OnDuty | None:
    return domain.alerted(_chain(row), row.level - row.chain_level)


def alerted_so_far(row: Crisis) -> set[str]:
    """Everyone a crisis has alerted (across shifts: the day clinician alerted before a shift
    change may still take it on)."""
    return {alert["person_id"] for alert in row.alerts if alert.get("person_id")}


def crisis_state(row: Crisis) -> CrisisState:
    """Event-carried state of a crisis (no summary, no resolution text)."""
    who = _now_alerted(row)
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


def _warn_nobody(row: Crisis) -> None:
    log.error(
        "crisis %s at branch %s alerts nobody: nobody is on duty there now and no network "
        "on-call covers the hour; set a shift (PUT /duty-rosters/%s) now",
        row.crisis_id,
        row.branch,
        row.branch,
    )


async def set_roster(
    session: AsyncSession,
    branch: str,
    request: DutyRosterRequest,
    options: CrisisOptions,
    now: datetime,
) -> DutyRoster:
    """Replace a roster (422, naming them, for overlapping shifts or hours it would leave
    nobody on duty at a branch served). Open crises re-resolve who is on duty at their next
    step; those that alerted nobody alert the chain on duty now at once."""
    time_zone = request.time_zone or options.branch_timezone
    shifts = rosters.stored_shifts(request)
    roster = rosters.roster_of(time_zone, shifts)
    clashes = overlaps(roster.shifts)
    if clashes:
        raise Invalid(f"shifts may not overlap: {'; '.join(clashes)}")
    found = await rosters.uncovered(session, options, now, replacing=(branch, roster))
    if found:
        raise Invalid(rosters.refusal(found))
    row = await session.get(DutyRoster, branch, with_for_update=True)
    if row is None:
        row = DutyRoster(branch=branch, time_zone=time_zone, shifts=shifts, updated_at=now)
        session.add(row)
    else:
        row.time_zone, row.shifts, row.updated_at = time_zone, shifts, now
        row.version += 1
    await session.flush()
    unheard = select(Crisis).where(col(Crisis.status) == "open")
    if branch != rosters.NETWORK:
        unheard = unheard.where(col(Crisis.branch) == branch)
    for crisis in await session.scalars(unheard.with_for_update()):
        if not crisis.chain:
            await _retry_unheard(session, crisis, options, now)
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
    row.chain, row.level, row.chain_level = chain, 0, 0
    row.deadline_at = domain.deadline(now, ack_within(options, row.severity))
    row.version += 1
    _alert(row, now)
    _publish(session, CrisisEscalated, row)


async def flag(
    session: AsyncSession, request: CrisisRequest, options: CrisisOptions, now: datetime
) -> Crisis:
    """A mentor flags a crisis for a match's patient: the first person of the chain on duty at
    the branch now is alerted at once and has `ack_within` to acknowledge."""
    what = f"match {request.match_id!r} known to sessions"
    match = await get_or_not_found(session, MatchProjection, request.match_id, what)
    chain = await rosters.chain_now(session, match.branch, options, now)
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
    who = _now_alerted(row)
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
    domain.check_can_acknowledge(row.status, request.person_id, alerted_so_far(row))
    await take_on(session, row, request.person_id, now)
    return row


async def take_on(session: AsyncSession, row: Crisis, person_id: str, now: datetime) -> None:
    """Record an acknowledgement already checked: escalation stops."""
    row.status, row.acknowledged_by, row.acknowledged_at = "acknowledged", person_id, now
    row.deadline_at = None
    row.version += 1
    _publish(session, CrisisAcknowledged, row)
    await session.flush()


async def resolve(
    session: AsyncSession, crisis_id: str, request: ResolveRequest, now: datetime
) -> Crisis:
    """Someone on the duty chain resolves the crisis (acknowledging it if nobody had)."""
    row = await _crisis(session, crisis_id)
    people = alerted_so_far(row) | {link.person_id for link in _chain(row)}
    domain.check_can_resolve(row.status, request.person_id, people)
    if row.acknowledged_at is None:
        row.acknowledged_by, row.acknowledged_at = request.person_id, now
    row.status, row.resolved_by, row.resolved_at = "resolved", request.person_id, now
    row.resolution, row.deadline_at = request.resolution, None
    row.version += 1
    _publish(session, CrisisResolved, row)
    await session.flush()
    return row


async def escalate_due(session: AsyncSession, options: CrisisOptions, now: datetime) -> int:
    """Alert the next person for every open crisis past its deadline; return how many. The
    next person is on the chain of the shift on duty now: the same chain's next link, or the
    first of another shift's chain that came on since. Rows another replica is escalating are
    skipped, so each step happens exactly once."""
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
        on_duty = await rosters.chain_now(session, row.branch, options, now)
        if on_duty and on_duty != row.chain:  # another shift came on: its first person next
            row.chain, row.chain_level = on_duty, row.level + 1
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
    """A crisis that alerted nobody: alert the chain on duty if there is one now; else say so
    again (once per deadline) and keep trying."""
    chain = await rosters.chain_now(session, row.branch, options, now)
    if chain:
        _adopt(session, row, chain, options, now)
        return 1
    row.deadline_at = domain.deadline(now, ack_within(options, row.severity))
    _warn_nobody(row)
    return 0
