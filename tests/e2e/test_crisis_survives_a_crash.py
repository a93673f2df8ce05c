"""A crisis flagged just before sessions is killed with SIGKILL still escalates after the
restart, exactly once per step (the e2e stack acknowledges within 3 s or escalates)."""

import json
from collections import Counter

import httpx
import pytest

from e2e.flow import admit_with_consent, fetch_all, matches, seed
from helpers.streams import stream_messages
from helpers.waiting import wait_until

pytestmark = pytest.mark.e2e

CHAIN = [
    {"person_id": "dr-first", "role": "clinician"},
    {"person_id": "dr-second", "role": "clinician"},
    {"person_id": "lead-1", "role": "branch_lead"},
]


async def test_sigkill_mid_deadline_then_the_escalation_happens_once(stack):
    sessions = stack.url("sessions")
    async with httpx.AsyncClient(timeout=10, headers=stack.auth_headers()) as client:
        await seed(client, stack, mentors_per_branch=1, capacity=2)
        [admitted] = await admit_with_consent(client, stack, 1)
        [match] = await wait_until(lambda: matches(client, stack), what="the match")
        await wait_until(
            lambda: fetch_all(client, f"{sessions}/sessions"), what="sessions knows the match"
        )
        await client.put(f"{sessions}/duty-rosters/{admitted.branch}", json={"chain": CHAIN})
        response = await client.post(
            f"{sessions}/crises", json={"match_id": match["match_id"], "severity": "high"}
        )
        assert response.status_code == 201, response.text
        crisis_id = response.json()["crisis_id"]

        stack.kill("sessions")  # mid-deadline: nobody has acknowledged
        stack.restart("sessions")

        async def alerts() -> list:
            row = (await client.get(f"{sessions}/crises/{crisis_id}")).json()
            return [a["level"] for a in row["alerts"]]

        levels = await wait_until(alerts, lambda seen: len(seen) >= 3, timeout_s=60, what="steps")
        answered = await client.post(
            f"{sessions}/crises/{crisis_id}/acknowledge", json={"person_id": "dr-second"}
        )
        assert answered.status_code == 200
    assert levels[:3] == [0, 1, 2]
    stored = await stream_messages(stack.nats_url, "SAATHI_SESSIONS")
    steps = Counter(
        json.loads(m.data)["data"]["level"]
        for m in stored
        if m.subject == "sessions.crisis.escalated.v1"
    )
    assert steps[1] == 1 and steps[2] == 1  # each step once, despite the crash
