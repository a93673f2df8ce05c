"""Duty rosters as stored and checked: who is on duty at a branch at an instant (its shift, else
the network on-call's), and which branches served would have nobody on duty at some hour."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from sessions.crisis.domain import OnDuty
from sessions.crisis.models import DutyRoster
from sessions.crisis.options import CrisisOptions
from sessions.crisis.schemas import DutyRosterRequest
from sessions.crisis.shifts import (
    DAYS,
    Roster,
    Shift,
    chain_at,
    clock_time,
    describe_gaps,
    gaps,
    minute_of_day,
)
from sessions.projections.models import MatchProjection

NETWORK = "network"
"""The roster `PUT /duty-rosters/network`: the network on-call, for hours a branch leaves open."""


@dataclass(frozen=True)
class Gaps:
    """The stretches of a week nobody is on duty at a branch (local datetimes in `zone`)."""

    zone: str
    stretches: list[tuple[datetime, datetime]]

    @property
    def hours(self) -> float:
        """How many hours of the week that is."""
        return sum((end - start).total_seconds() for start, end in self.stretches) / 3600


def stored_shifts(request: DutyRosterRequest) -> list[dict[str, Any]]:
    """A roster body's shifts as stored (a lone chain: one shift at all hours)."""
    return [shift.model_dump() for shift in request.all_shifts()]


def roster_of(time_zone: str, shifts: list[dict[str, Any]]) -> Roster:
    """The domain roster of stored shifts."""
    return Roster(
        time_zone=time_zone,
        shifts=tuple(
            Shift(
                name=shift["name"],
                days=tuple(DAYS.index(day) for day in shift["days"]),
                starts=minute_of_day(shift["starts"]),
                ends=minute_of_day(shift["ends"]),
                chain=tuple(OnDuty(**link) for link in shift["chain"]),
            )
            for shift in shifts
        ),
    )


def shifts_of(roster: Roster) -> list[dict[str, Any]]:
    """A domain roster's shifts as stored (for the network on-call from the setting)."""
    return [
        {
            "name": shift.name,
            "days": [DAYS[day] for day in shift.days],
            "starts": clock_time(shift.starts),
            "ends": clock_time(shift.ends),
            "chain": [{"person_id": on.person_id, "role": on.role} for on in shift.chain],
        }
        for shift in roster.shifts
    ]


async def stored(session: AsyncSession, branch: str) -> Roster | None:
    """A roster as stored, if any."""
    row = await session.get(DutyRoster, branch)
    return roster_of(row.time_zone, row.shifts) if row else None


async def network_roster(session: AsyncSession, options: CrisisOptions) -> Roster | None:
    """The network on-call: its stored roster, else the one from the setting."""
    return await stored(session, NETWORK) or options.network_on_call


async def chain_now(
    session: AsyncSession, branch: str, options: CrisisOptions, now: datetime
) -> list[dict[str, str]]:
    """Who a crisis at `branch` alerts now: the chain of the branch's shift on duty, else the
    network on-call's (empty if neither has anyone on duty: nobody would hear it)."""
    rosters = [await stored(session, branch), await network_roster(session, options)]
    return [{"person_id": on.person_id, "role": on.role} for on in chain_at(rosters, now)]


async def served(session: AsyncSession, options: CrisisOptions) -> set[str]:
    """The branches served: those configured, those with a roster and those with an active
    match."""
    rostered = await session.scalars(select(col(DutyRoster.branch)))
    matched = await session.scalars(
        select(col(MatchProjection.branch))
        .where(col(MatchProjection.status) == "active")
        .distinct()
    )
    return ({*options.branches, *rostered, *matched}) - {NETWORK}


async def uncovered(
    session: AsyncSession,
    options: CrisisOptions,
    now: datetime,
    replacing: tuple[str, Roster] | None = None,
) -> dict[str, Gaps]:
    """For each branch served with nobody on duty at some hour of the week (neither its own
    shift nor the network on-call's), those hours in the branch's zone; `replacing` checks a
    roster about to be set."""
    rosters: dict[str, Roster | None] = {
        row.branch: roster_of(row.time_zone, row.shifts)
        for row in await session.scalars(select(DutyRoster))
    }
    rosters.setdefault(NETWORK, options.network_on_call)
    branches = await served(session, options)
    if replacing is not None:
        rosters[replacing[0]] = replacing[1]
        branches |= {replacing[0]} - {NETWORK}
    found = {}
    for branch in sorted(branches):
        own = rosters.get(branch)
        zone = own.zone if own else ZoneInfo(options.branch_timezone)
        stretches = gaps([own, rosters[NETWORK]], zone, now)
        if stretches:
            found[branch] = Gaps(zone.key, stretches)
    return found


def refusal(found: dict[str, Gaps]) -> str:
    """What a start or a roster change that leaves hours uncovered is told."""
    named = "; ".join(
        f"{branch} has nobody on duty {describe_gaps(gap.stretches)} ({gap.zone})"
        for branch, gap in found.items()
    )
    return (
        f"{named}, and no network on-call covers it: a crisis flagged then would alert nobody. "
        "Give the branch a shift for those hours (PUT /duty-rosters/{branch}) or let the "
        "network on-call cover them (PUT /duty-rosters/network, or SESSIONS_FALLBACK_DUTY_CHAIN)."
    )
