"""A consumer killed with SIGKILL mid-stream loses nothing and doubles nothing after restart."""

import asyncio
from collections import Counter

import httpx
import pytest

from e2e.flow import admit_with_consent, fetch_all, matches, seed, settled
from helpers.waiting import wait_until

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("victim", ["matching", "sessions"])
async def test_sigkill_mid_stream_then_restart(stack, victim):
    async with httpx.AsyncClient(timeout=10, headers=stack.auth_headers()) as client:
        await seed(client, stack, mentors_per_branch=4, capacity=10)  # room for everyone
        first = await admit_with_consent(client, stack, 30)
        burst = asyncio.create_task(admit_with_consent(client, stack, 30))
        await wait_until(lambda: matches(client, stack), lambda m: len(m) >= 5, what="some matches")
        stack.kill(victim)
        second = await burst
        stack.restart(victim)
        episodes = first + second

        async def all_settled() -> bool:
            return await settled(client, stack, episodes)

        await wait_until(all_settled, timeout_s=90, what="every admission handled after restart")
        made = await matches(client, stack)
        assert Counter(m["episode_id"] for m in made) == Counter(e.episode_id for e in episodes)
        mentors = await fetch_all(client, f"{stack.url('matching')}/mentors")
        assert sum(m["active_mentees"] for m in mentors) == len(episodes)
        sessions = await wait_until(
            lambda: fetch_all(client, f"{stack.url('sessions')}/sessions"),
            lambda s: len(s) >= len(episodes),
            timeout_s=90,
            what="introduction sessions",
        )
        assert Counter(s["match_id"] for s in sessions) == Counter(m["match_id"] for m in made)
