"""No crisis unheard: sessions refuses to start while a branch it serves has nobody on duty at
some hour of the week (neither its own shift nor the network on-call's), naming the branch and
the hours; the same check and any open crisis that alerted nobody are a readiness failure, and
the latter a metric, until someone can hear it (the ERROR log comes from the crisis itself)."""

from collections import Counter

from prometheus_client import Gauge
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from sessions.crisis import rosters
from sessions.crisis.metrics import OpenCrisisGauges
from sessions.crisis.models import Crisis
from sessions.crisis.options import CrisisOptions
from sessions.crisis.shifts import gaps
from shared.errors import StartupError
from shared.runtime import ServiceRuntime

CRISES_ALERTING_NOBODY = Gauge(
    "saathi_crises_alerting_nobody",
    "Open crises that alerted nobody (nobody on duty at their branch and no network on-call)",
    ["branch"],
)
DUTY_GAP_HOURS = Gauge(
    "saathi_duty_gap_hours",
    "Hours of the current week with nobody on duty at a branch served (its own shifts or the "
    "network on-call's)",
    ["branch"],
)


async def startup_problem(session: AsyncSession, options: CrisisOptions) -> str | None:
    """Why a crisis could alert nobody here, with what to configure; None if it cannot."""
    now = options.clock.now()
    if not await rosters.served(session, options):
        network = await rosters.network_roster(session, options)
        if network is None or gaps([network], network.zone, now):
            return (
                "sessions: SESSIONS_BRANCHES names no branch and no network on-call covers "
                "every hour, so a crisis at some branch and hour would alert nobody. Set "
                'SESSIONS_FALLBACK_DUTY_CHAIN=\'[{"person_id": "...", "role": "clinician"}]\' '
                "(a network on-call at all hours), or list SESSIONS_BRANCHES and give each a "
                "duty roster."
            )
        return None
    found = await rosters.uncovered(session, options, now)
    return f"sessions: {rosters.refusal(found)}" if found else None


class CrisisReach:
    """A listener whose start is the startup check and whose health is the readiness check:
    not ready while any open crisis alerted nobody."""

    name = "crisis-reach"

    def __init__(self, runtime: ServiceRuntime, options: CrisisOptions) -> None:
        self._runtime = runtime
        self._options = options
        self._unheard: dict[str, int] = {}
        self._uncovered: dict[str, rosters.Gaps] = {}
        self._gauges = OpenCrisisGauges()

    async def start(self) -> None:
        """Refuse to start while a branch served has nobody on duty at some hour."""
        if self._options.setting_problem:
            raise StartupError(self._options.setting_problem)
        async with self._runtime.sessionmaker() as session:
            problem = await startup_problem(session, self._options)
            if problem:
                raise StartupError(problem)
            await self.refresh(session)

    async def stop(self) -> None:
        """Nothing runs in the background."""

    def health(self) -> tuple[bool, str]:
        """Ready unless an open crisis alerted nobody or a branch served has nobody on duty at
        some hour; the detail names the branches (and the hours)."""
        problems = []
        if self._unheard:
            branches = ", ".join(f"{b} ({n})" for b, n in sorted(self._unheard.items()))
            problems.append(
                f"open crises alerting nobody at {branches}: set a duty roster there "
                "(PUT /duty-rosters/{branch}) or a network on-call (PUT /duty-rosters/network)"
            )
        if self._uncovered:
            problems.append(rosters.refusal(self._uncovered))
        if not problems:
            return True, "every open crisis alerted someone; every branch has someone on duty"
        return False, "; ".join(problems)

    async def refresh(self, session: AsyncSession) -> None:
        """Count the open crises that alerted nobody, per branch (for /readyz and /metrics),
        export the unacknowledged ones (for /metrics), and find the hours a branch served has
        nobody on duty (for /readyz)."""
        uncovered = await rosters.uncovered(session, self._options, self._options.clock.now())
        for branch in set(self._uncovered) - set(uncovered):
            DUTY_GAP_HOURS.labels(branch=branch).set(0)
        for branch, gap in uncovered.items():
            DUTY_GAP_HOURS.labels(branch=branch).set(gap.hours)
        self._uncovered = uncovered
        open_crises = list(
            await session.execute(
                select(
                    col(Crisis.branch),
                    col(Crisis.chain),
                    col(Crisis.severity),
                    col(Crisis.flagged_at),
                ).where(col(Crisis.status) == "open")
            )
        )
        self._gauges.export(((b, s, at) for b, _, s, at in open_crises), self._options)
        unheard = Counter(branch for branch, chain, _, _ in open_crises if not chain)
        for branch in set(self._unheard) - set(unheard):
            CRISES_ALERTING_NOBODY.labels(branch=branch).set(0)
        for branch, count in unheard.items():
            CRISES_ALERTING_NOBODY.labels(branch=branch).set(count)
        self._unheard = dict(unheard)
