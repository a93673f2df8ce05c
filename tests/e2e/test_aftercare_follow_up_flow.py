"""Aftercare across the four processes: a discharge enrols with nobody pressing a button, A13
cancels it, follow-up timers fire exactly once although aftercare was SIGKILLed while they
ran, and a readmission at another branch is linked to the stay before."""

import json
from collections import Counter
from functools import partial

import httpx
import pytest

from e2e.flow import fetch_all, seed
from helpers import factories
from helpers.streams import messages_on
from helpers.waiting import wait_until

pytestmark = pytest.mark.e2e


async def test_discharge_a13_follow_ups_across_a_crash_and_a_readmission_elsewhere(stack):
    intake, aftercare = stack.url("intake"), stack.url("aftercare")
    async with httpx.AsyncClient(timeout=10, headers=stack.auth_headers()) as client:
        await seed(client, stack, mentors_per_branch=1, capacity=5)
        stays = []
        for _ in range(2):
            # The network's one EHR issues the MRN, so the other branch knows the patient.
            body = factories.admission(
                "kol-salt-lake", consent=factories.consent(), mrn_authority="kolnet"
            )
            admitted = await client.post(f"{intake}/admissions", json=body)
            assert admitted.status_code == 201, admitted.text
            stays.append((body, admitted.json()["episode"]))
        (_, undone), (again_body, followed) = stays
        for _, episode in stays:
            discharged = await client.post(
                f"{intake}/episodes/{episode['episode_id']}/discharge", json={}
            )
            assert discharged.status_code == 200, discharged.text

        async def enrolment(episode: dict) -> dict:
            rows = await fetch_all(
                client, f"{aftercare}/enrolments", episode_id=episode["episode_id"]
            )
            return rows[0] if rows else {}

        for _, episode in stays:  # with nobody pressing a button
            await wait_until(
                partial(enrolment, episode),
                lambda row: row.get("status") == "enrolled",
                timeout_s=30,
                what="enrolment on discharge",
            )
        stack.kill("aftercare")  # while the follow-up windows run
        cancelled = await client.post(
            f"{intake}/episodes/{undone['episode_id']}/cancel-discharge", json={}
        )
        assert cancelled.status_code == 200, cancelled.text
        stack.restart("aftercare")

        await wait_until(
            lambda: enrolment(undone),
            lambda e: e.get("status") == "cancelled",
            timeout_s=60,
            what="A13 cancels the enrolment",
        )
        assert (await enrolment(followed))["status"] == "enrolled"
        missed = await wait_until(
            lambda: messages_on(stack.nats_url, "SAATHI_AFTERCARE", "aftercare.follow_up.missed"),
            lambda found: len(found) == 2,
            timeout_s=60,
            what="both follow-ups of the discharge that stood missed",
        )
        kinds = Counter(json.loads(m.data)["data"]["kind"] for m in missed)
        assert kinds == {"day_7": 1, "day_30": 1}
        assert {json.loads(m.data)["data"]["episode_id"] for m in missed} == {
            followed["episode_id"]
        }
        tasks = await fetch_all(client, f"{aftercare}/tasks", kind="follow_up_missed")
        assert [t["episode_id"] for t in tasks] == [followed["episode_id"]]
        undone_follow_ups = await fetch_all(
            client, f"{aftercare}/follow-ups", episode_id=undone["episode_id"]
        )
        assert {f["status"] for f in undone_follow_ups} == {"cancelled"}

        readmitted = await client.post(
            f"{intake}/admissions",
            json={
                **again_body,
                "branch": "kol-behala",
                "visit_number": again_body["visit_number"] + "-R",
            },
        )
        assert readmitted.status_code == 201, readmitted.text
        [link] = await wait_until(
            lambda: fetch_all(client, f"{aftercare}/readmissions"), timeout_s=60, what="readmission"
        )
        assert link["previous_episode_id"] == followed["episode_id"]
        assert link["branch"] == "kol-behala" and link["previous_branch"] == "kol-salt-lake"
        ended = await wait_until(
            lambda: enrolment(followed), lambda e: e.get("status") == "cancelled", what="ended"
        )
        assert ended["reason"] == "readmitted"
