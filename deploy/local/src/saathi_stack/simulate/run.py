"""One network replay end to end: generate, register mentors, replay, settle, check."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx

from saathi_stack.simulate.adapters import Target
from saathi_stack.simulate.checks import CheckResult, Context, run_checks
from saathi_stack.simulate.driver import Driver, Journal
from saathi_stack.simulate.model import Scenario
from saathi_stack.simulate.snapshot import read, settle
from saathi_stack.simulate.stories import Month, Size

# A stack for the replay: crises at any branch reach the network's on-call clinician.
SIMULATION_ENV = {
    "SESSIONS_FALLBACK_DUTY_CHAIN": '[{"person_id": "network-on-call", "role": "clinician"}]',
}


def generate(seed: int, size: Size, end: datetime | None = None) -> Scenario:
    """The month for a seed, ending at `end` (default now: every message time is past)."""
    end = (end or datetime.now(UTC)).replace(microsecond=0)
    return Month(seed, size, end - timedelta(days=size.days)).build()


def speed_for(scenario: Scenario, seconds: float) -> float:
    """The compression that replays the scenario's span in about `seconds` of real time."""
    return (scenario.end - scenario.start).total_seconds() / max(seconds, 1.0)


async def replay_and_check(
    target: Target,
    scenario: Scenario,
    speed: float,
    advance: Callable[[], None] = lambda: None,
) -> tuple[Journal, list[CheckResult]]:
    """Replay the scenario against a running stack and check its ground truth."""
    async with httpx.AsyncClient(timeout=30, headers=target.headers) as client:
        driver = Driver(scenario, target, client)
        await driver.setup()
        await driver.link_alumni()
        journal = await driver.run(speed, advance)
        await settle(client, target)
        snapshot = await read(client, target, scenario)
    return journal, run_checks(Context(scenario, journal, snapshot))
