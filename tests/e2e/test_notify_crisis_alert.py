"""A crisis flagged through the sessions API reaches a person through notify: the clinician
on duty gets a notification at once, the next in the chain when nobody acknowledges (the e2e
stack escalates after 3 s), and taking the crisis on in sessions closes them."""

import asyncio

import httpx
import pytest

from e2e.flow import admit_with_consent, fetch_all, matches, seed
from helpers.waiting import wait_until
from saathi_stack import demo_people

pytestmark = pytest.mark.e2e

CHAIN = [
    {"person_id": "dr-first", "role": "clinician"},
    {"person_id": "dr-second", "role": "clinician"},
]


async def test_a_flagged_crisis_notifies_the_person_on_duty_then_the_next(stack):
    sessions, notify = stack.url("sessions"), stack.url("notify")
    async with httpx.AsyncClient(timeout=10, headers=stack.auth_headers()) as client:
        await seed(client, stack, mentors_per_branch=1, capacity=2)
        [admitted] = await admit_with_consent(client, stack, 1)
        [match] = await wait_until(lambda: matches(client, stack), what="the match")
        await wait_until(
            lambda: fetch_all(client, f"{sessions}/sessions"), what="sessions knows the match"
        )
        for link in CHAIN:
            body = {"roles": ["clinician"], "branches": [admitted.branch]}
            assert (await client.put(f"{notify}/people/{link['person_id']}", json=body)).is_success
        await client.put(f"{sessions}/duty-rosters/{admitted.branch}", json={"chain": CHAIN})
        flagged = await client.post(
            f"{sessions}/crises", json={"match_id": match["match_id"], "severity": "high"}
        )
        assert flagged.status_code == 201, flagged.text
        crisis_id = flagged.json()["crisis_id"]

        async def crisis_notifications() -> list[dict]:
            answer = await client.get(f"{notify}/notifications", params={"kind": "crisis"})
            return [row for row in answer.json() if row["subject_id"] == crisis_id]

        alerted = await wait_until(
            crisis_notifications,
            lambda rows: {row["person_id"] for row in rows} >= {"dr-first", "dr-second"},
            timeout_s=60,
            what="the person on duty, then the next, notified",
        )
        taken = await client.post(
            f"{sessions}/crises/{crisis_id}/acknowledge", json={"person_id": "dr-second"}
        )
        assert taken.status_code == 200, taken.text
        closed = await wait_until(
            crisis_notifications,
            lambda rows: all(row["state"] == "closed" for row in rows),
            what="notifications closed once the crisis was taken on",
        )
    with httpx.Client(timeout=10, headers=stack.auth_headers()) as sync_client:
        seeded = await asyncio.to_thread(demo_people.seed, sync_client, notify)
        again = await asyncio.to_thread(demo_people.seed, sync_client, notify)
    assert (seeded, again) == (len(demo_people.people()), 0)  # `make run`'s people, once
    first = min(alerted, key=lambda row: row["created_at"])
    assert first["person_id"] == "dr-first" and first["branch"] == admitted.branch
    assert "pt_" not in first["title"] and admitted.patient_ref not in first["title"]
    assert len(closed) >= 2
