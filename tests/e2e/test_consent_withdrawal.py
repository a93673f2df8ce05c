"""Consent is enforced everywhere: across the four processes, withdrawing it ends the match,
cancels the sessions booked, ends inpatient and outpatient group places and the offers, and
cancels the aftercare enrolment, its follow-ups and its tasks."""

import httpx
import pytest

from e2e.flow import admit_with_consent, discharge, fetch_all, open_group, seed
from helpers import factories
from helpers.waiting import wait_until

pytestmark = pytest.mark.e2e
BRANCH = "kol-salt-lake"


async def test_withdrawn_consent_stops_every_kind_of_support(stack):
    intake, sessions, aftercare = (stack.url(s) for s in ("intake", "sessions", "aftercare"))
    async with httpx.AsyncClient(timeout=10, headers=stack.auth_headers()) as client:
        await seed(client, stack, mentors_per_branch=1, capacity=5)
        inpatient = await open_group(
            client,
            stack,
            {**factories.group(BRANCH, f"{BRANCH}-m0"), "setting": "inpatient"},
        )
        stays = await admit_with_consent(client, stack, 4)  # round-robin: 0 and 3 at Salt Lake
        admitted, leaving = stays[0], stays[3]
        await wait_until(
            lambda: fetch_all(client, f"{sessions}/sessions", patient_ref=admitted.patient_ref),
            timeout_s=60,
            what="the introduction booked",
        )
        joined = await client.post(
            f"{sessions}/groups/{inpatient}/enrolments", json={"patient_ref": admitted.patient_ref}
        )
        assert joined.status_code == 201, joined.text
        await discharge(client, stack, [leaving])
        await wait_until(
            lambda: fetch_all(client, f"{aftercare}/follow-ups", episode_id=leaving.episode_id),
            lambda rows: len(rows) == 2,
            timeout_s=60,
            what="follow-ups scheduled",
        )

        for who in (admitted, leaving):
            withdrawn = await client.put(
                f"{intake}/patients/{who.patient_ref}/consent", json=factories.consent("withdrawn")
            )
            assert withdrawn.status_code == 200, withdrawn.text

        async def matches_of(episode_id: str) -> list[dict]:
            return await fetch_all(
                client, f"{stack.url('matching')}/matches", episode_id=episode_id
            )

        await wait_until(
            lambda: matches_of(admitted.episode_id),
            lambda rows: rows and all(r["status"] == "ended" for r in rows),
            timeout_s=60,
            what="the match ended",
        )
        booked = await wait_until(
            lambda: fetch_all(client, f"{sessions}/sessions", patient_ref=admitted.patient_ref),
            lambda rows: rows and all(r["status"] == "cancelled" for r in rows),
            timeout_s=60,
            what="sessions cancelled",
        )
        assert booked
        places = await wait_until(
            lambda: fetch_all(
                client, f"{sessions}/groups/{inpatient}/enrolments", include_left="true"
            ),
            lambda rows: rows and rows[0]["status"] == "left",
            timeout_s=60,
            what="the group place ended",
        )
        assert places[0]["left_reason"] == "consent withdrawn"
        offers = await client.get(f"{sessions}/patients/{admitted.patient_ref}/group-offers")
        assert offers.json() == []
        [enrolment] = await wait_until(
            lambda: fetch_all(client, f"{aftercare}/enrolments", episode_id=leaving.episode_id),
            lambda rows: rows and rows[0]["status"] == "cancelled",
            timeout_s=60,
            what="the aftercare enrolment cancelled",
        )
        assert enrolment["reason"] == "consent withdrawn"
        follow_ups = await fetch_all(
            client, f"{aftercare}/follow-ups", episode_id=leaving.episode_id
        )
        assert {f["status"] for f in follow_ups} == {"cancelled"}
        open_tasks = await fetch_all(client, f"{aftercare}/tasks", branch=BRANCH)
        assert [t for t in open_tasks if t["episode_id"] == leaving.episode_id] == []
