"""A few days of a three-branch network on two EHRs, replayed over MLLP and REST through the
whole stack at a compressed clock, ends the way its ground truth says (issue 14): every
episode's state, consent per stay, capacity, preferences, links across stays and merges,
exact birth dates, no mentor matched to themselves. `saathi simulate` runs the month."""

import pytest

from e2e.conftest import running_stack
from saathi_stack.simulate.adapters import Target
from saathi_stack.simulate.run import SIMULATION_ENV, generate, replay_and_check, speed_for
from saathi_stack.simulate.stories import SHORT
from saathi_stack.stack import SERVICES

pytestmark = pytest.mark.e2e
SEED = 14
REPLAY_SECONDS = 40


async def test_a_network_replay_ends_as_its_ground_truth(tmp_path, dbs):
    scenario = generate(SEED, SHORT)
    async with running_stack(tmp_path, dbs, SIMULATION_ENV) as stack:
        target = Target(
            urls={name: stack.url(name) for name in SERVICES},
            mllp_port=stack.config.mllp_port,
            headers=stack.auth_headers(),
        )
        journal, results = await replay_and_check(
            target, scenario, speed_for(scenario, REPLAY_SECONDS)
        )
    assert journal.sent == len(scenario.steps)
    failed = [result.message() for result in results if not result.passed]
    assert not failed, "\n".join(failed)
