"""No crisis unheard: sessions refuses to start while a branch it serves has nobody to alert, and
an open crisis that alerted nobody is a metric and a readiness failure until someone can hear it
(the ERROR log comes from the crisis itself)."""

from collections import Counter

from prometheus_client import Gauge
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from sessions.crisis.models import Crisis, DutyRoster
from sessions.crisis.options import CrisisOptions
from sessions.projections.models import MatchProjection
from shared.errors import StartupError
from shared.runtime import ServiceRuntime

CRISES_ALERTING_NOBODY = Gauge(
    "saathi_crises_alerting_nobody",
    "Open crises that alerted nobody (no duty roster at their branch and no fallback chain)",
    ["branch"],
)


async def startup_problem(session: AsyncSession, options: CrisisOptions) -> str | None:
    """Why a crisis could alert nobody here, with what to configure; None if it cannot. The
    branches served are those configured plus those with a roster or an active match."""
    if options.fallback_duty_chain:
        return None
    rosters = (await session.execute(select(col(DutyRoster.branch), col(DutyRoster.chain)))).all()
    matched = await session.scalars(
        select(col(MatchProjection.branch))
        .where(col(MatchProjection.status) == "active")
        .distinct()
    )
    served = {*options.branches, *(branch for branch, _ in rosters), *matched}
    if not served:
        return (
            "sessions: SESSIONS_FALLBACK_DUTY_CHAIN is empty and SESSIONS_BRANCHES names no "
            "branch, so a crisis at any branch would alert nobody. Set "
            'SESSIONS_FALLBACK_DUTY_CHAIN=\'[{"person_id": "...", "role": "clinician"}]\' '
            "(a network-level on-call), or list SESSIONS_BRANCHES and give each a duty roster."
        )
    nobody = sorted(served - {branch for branch, chain in rosters if chain})
    if not nobody:
        return None
    return (
        f"sessions: a crisis at branch {', '.join(nobody)} would alert nobody: no duty roster "
        "there and SESSIONS_FALLBACK_DUTY_CHAIN is empty. Set SESSIONS_FALLBACK_DUTY_CHAIN "
        "(a network-level on-call) to start, then each branch's roster with "
        "PUT /duty-rosters/{branch}."
    )


class CrisisReach:
    """A listener whose start is the startup check and whose health is the readiness check:
    not ready while any open crisis alerted nobody."""

    name = "crisis-reach"

    def __init__(self, runtime: ServiceRuntime, options: CrisisOptions) -> None:
        self._runtime = runtime
        self._options = options
        self._unheard: dict[str, int] = {}

    async def start(self) -> None:
        """Refuse to start while a branch served has nobody to alert."""
        async with self._runtime.sessionmaker() as session:
            problem = await startup_problem(session, self._options)
            if problem:
                raise StartupError(problem)
            await self.refresh(session)

    async def stop(self) -> None:
        """Nothing runs in the background."""

    def health(self) -> tuple[bool, str]:
        """Ready unless an open crisis alerted nobody; the detail names the branches."""
        if not self._unheard:
            return True, "every open crisis alerted someone"
        branches = ", ".join(f"{b} ({n})" for b, n in sorted(self._unheard.items()))
        return False, (
            f"open crises alerting nobody at {branches}: set a duty roster there "
            "(PUT /duty-rosters/{branch}) or SESSIONS_FALLBACK_DUTY_CHAIN"
        )

    async def refresh(self, session: AsyncSession) -> None:
        """Count the open crises that alerted nobody, per branch (for /readyz and /metrics)."""
        open_crises = await session.execute(
            select(col(Crisis.branch), col(Crisis.chain)).where(col(Crisis.status) == "open")
        )
        unheard = Counter(branch for branch, chain in open_crises if not chain)
        for branch in set(self._unheard) - set(unheard):
            CRISES_ALERTING_NOBODY.labels(branch=branch).set(0)
        for branch, count in unheard.items():
            CRISES_ALERTING_NOBODY.labels(branch=branch).set(count)
        self._unheard = dict(unheard)
