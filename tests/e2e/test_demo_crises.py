"""`make run`'s demo keeps the duty screen busy: the crisis drill flags a crisis on an active
match now and then, and resolves the oldest once several are open."""

import asyncio
import contextlib

import httpx
import pytest

from e2e.flow import admit_with_consent, fetch_all, matches, seed
from helpers.waiting import wait_until
from saathi_stack.demo_crises import MOST_OPEN, CrisisDrill

pytestmark = pytest.mark.e2e


async def test_the_drill_flags_crises_on_active_matches_and_keeps_few_open(stack):
    sessions = stack.url("sessions")
    async with httpx.AsyncClient(timeout=10, headers=stack.auth_headers()) as client:
        await seed(client, stack, mentors_per_branch=1, capacity=2)
        await admit_with_consent(client, stack, 1)
        await wait_until(lambda: matches(client, stack), what="the match")
        await wait_until(lambda: fetch_all(client, f"{sessions}/sessions"), what="sessions' match")
        drill = CrisisDrill(
            stack.url("matching"), sessions, stack.auth_headers(), every_s=(0.05, 0.1), seed=3
        )
        running = asyncio.create_task(drill.run())
        try:
            await wait_until(
                lambda: asyncio.sleep(0, drill.flagged),
                lambda n: n >= MOST_OPEN + 2,
                timeout_s=30,
                what="several demo crises flagged",
            )
        finally:
            running.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await running
        still_open = await fetch_all(client, f"{sessions}/crises", status="open")
        resolved = await fetch_all(client, f"{sessions}/crises", status="resolved")
    assert 1 <= len(still_open) <= MOST_OPEN and resolved
