"""Consent belongs to a stay, across the four processes: a readmitted patient who consented
last time is not matched until this stay's consent; declined at the new stay, never; with the
hospital's carry-over window, matched at A01 and a decline at the new stay ends it at once."""

from pathlib import Path

import httpx
import pytest

from e2e.conftest import running_stack
from e2e.flow import admit_with_consent, fetch_all, seed
from helpers import factories
from helpers.backends import Databases
from helpers.waiting import wait_until

pytestmark = pytest.mark.e2e
BRANCH = "kol-salt-lake"


async def _readmit(client: httpx.AsyncClient, intake: str, body: dict) -> dict:
    """Discharge the stay `body` admitted and admit the same patient again (a new visit)."""
    again = {**body, "visit_number": body["visit_number"] + "-R"}
    again.pop("consent", None)
    response = await client.post(f"{intake}/admissions", json=again)
    assert response.status_code == 201, response.text
    return dict(response.json()["episode"])


async def _first_stay(client: httpx.AsyncClient, intake: str, matching: str) -> dict:
    """A patient admitted with consent, matched, then discharged; the admission body."""
    body = factories.admission(BRANCH, consent=factories.consent())
    episode = (await client.post(f"{intake}/admissions", json=body)).json()["episode"]
    await wait_until(
        lambda: fetch_all(client, f"{matching}/matches", episode_id=episode["episode_id"]),
        timeout_s=60,
        what="the first stay matched",
    )
    discharged = await client.post(f"{intake}/episodes/{episode['episode_id']}/discharge", json={})
    assert discharged.status_code == 200, discharged.text
    return body


async def test_a_readmission_is_matched_only_on_this_stays_consent(stack):
    intake, matching = stack.url("intake"), stack.url("matching")
    async with httpx.AsyncClient(timeout=10, headers=stack.auth_headers()) as client:
        await seed(client, stack, mentors_per_branch=1, capacity=10)
        asked = await _readmit(client, intake, await _first_stay(client, intake, matching))
        declines = await _readmit(client, intake, await _first_stay(client, intake, matching))
        declined = await client.put(
            f"{intake}/episodes/{declines['episode_id']}/consent",
            json=factories.consent("declined"),
        )
        assert declined.status_code == 200, declined.text
        [marker] = await admit_with_consent(client, stack, 1)  # handled after both
        await wait_until(
            lambda: fetch_all(client, f"{matching}/matches", episode_id=marker.episode_id),
            timeout_s=60,
            what="the marker matched",
        )
        for stay in (asked, declines):
            rows = await fetch_all(client, f"{matching}/matches", episode_id=stay["episode_id"])
            assert rows == []

        given = await client.put(
            f"{intake}/episodes/{asked['episode_id']}/consent", json=factories.consent()
        )
        assert given.status_code == 200, given.text
        [match] = await wait_until(
            lambda: fetch_all(client, f"{matching}/matches", episode_id=asked["episode_id"]),
            timeout_s=60,
            what="matched on this stay's consent",
        )
        assert match["status"] == "active"
        assert (
            await fetch_all(client, f"{matching}/matches", episode_id=declines["episode_id"]) == []
        )


async def test_carried_over_consent_matches_at_a01_and_a_decline_ends_it(
    tmp_path: Path, dbs: Databases
):
    env = {"INTAKE_CONSENT_CARRY_OVER_DAYS": "30"}
    async with running_stack(tmp_path, dbs, env) as stack:
        intake, matching = stack.url("intake"), stack.url("matching")
        async with httpx.AsyncClient(timeout=10, headers=stack.auth_headers()) as client:
            await seed(client, stack, mentors_per_branch=1, capacity=10)
            again = await _readmit(client, intake, await _first_stay(client, intake, matching))
            carried = await client.get(f"{intake}/episodes/{again['episode_id']}/consent")
            assert carried.json()["carried_over_from"] is not None
            await wait_until(
                lambda: fetch_all(
                    client, f"{matching}/matches", episode_id=again["episode_id"], status="active"
                ),
                timeout_s=60,
                what="matched at A01 on the carried-over consent",
            )

            declined = await client.put(
                f"{intake}/episodes/{again['episode_id']}/consent",
                json=factories.consent("declined"),
            )
            assert declined.status_code == 200, declined.text
            [ended] = await wait_until(
                lambda: fetch_all(
                    client, f"{matching}/matches", episode_id=again["episode_id"], status="ended"
                ),
                timeout_s=60,
                what="the match ended",
            )
    assert ended["ended_reason"] == "consent declined"
