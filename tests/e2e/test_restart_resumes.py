"""Stopping the whole platform and starting it again on the same data loses nothing."""

import httpx
import pytest

from e2e.flow import admit_with_consent, discharge, fetch_all, seed, settled
from helpers.waiting import wait_until

pytestmark = pytest.mark.e2e


async def test_stop_everything_mid_flow_then_start_again(stack):
    async with httpx.AsyncClient(timeout=10, headers=stack.auth_headers()) as client:
        await seed(client, stack, mentors_per_branch=2, capacity=10)
        episodes = await admit_with_consent(client, stack, 15)
        await discharge(client, stack, episodes[:5])
    stack.stop()  # SIGTERM to every service, then NATS: in-flight work drains
    stack.start()  # same data folder, databases and JetStream store
    async with httpx.AsyncClient(timeout=10, headers=stack.auth_headers()) as client:

        async def all_settled() -> bool:
            return await settled(client, stack, episodes)

        await wait_until(all_settled, timeout_s=60, what="every admission handled after restart")
        enrolments = await wait_until(
            lambda: fetch_all(client, f"{stack.url('aftercare')}/enrolments"),
            lambda rows: len(rows) == 5,
            timeout_s=60,
            what="the five discharges enrolled",
        )
        assert {e["episode_id"] for e in enrolments} == {e.episode_id for e in episodes[:5]}
        matched = await fetch_all(client, f"{stack.url('matching')}/matches")
        assert sorted(m["episode_id"] for m in matched) == sorted(e.episode_id for e in episodes)
        sessions = await fetch_all(client, f"{stack.url('sessions')}/sessions")
        assert len({s["match_id"] for s in sessions}) == len(sessions) == len(matched)
