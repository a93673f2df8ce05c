"""Admission to match to session, and discharge to enrolment (and onto the outpatient group's
roster in sessions), across four processes."""

from collections import Counter

import httpx
import pytest

from e2e.flow import admit_with_consent, discharge, fetch_all, matches, seed, settled
from helpers.waiting import wait_until

pytestmark = pytest.mark.e2e


async def test_every_admission_is_matched_or_waitlisted_once_and_every_discharge_enrolled_once(
    stack,
):
    async with httpx.AsyncClient(timeout=10, headers=stack.auth_headers()) as client:
        await seed(client, stack, mentors_per_branch=2, capacity=4)  # 24 places for 30 patients
        episodes = await admit_with_consent(client, stack, 30)

        async def all_settled() -> bool:
            return await settled(client, stack, episodes)

        await wait_until(all_settled, timeout_s=60, what="every admission matched or waitlisted")
        made = await matches(client, stack)
        assert len(made) == 24
        assert max(Counter(m["episode_id"] for m in made).values()) == 1
        sessions = await wait_until(
            lambda: fetch_all(client, f"{stack.url('sessions')}/sessions"),
            lambda s: len(s) == 24,
            timeout_s=60,
            what="one introduction session per match",
        )
        assert {s["match_id"] for s in sessions} == {m["match_id"] for m in made}

        await discharge(client, stack, episodes)
        enrolments = await wait_until(
            lambda: fetch_all(client, f"{stack.url('aftercare')}/enrolments"),
            lambda rows: len(rows) == len(episodes),
            timeout_s=60,
            what="one enrolment per discharge",
        )
        assert {e["episode_id"] for e in enrolments} == {e.episode_id for e in episodes}
        assert {e["status"] for e in enrolments} == {"enrolled"}

        async def outpatient_rosters() -> set[str]:
            groups = await fetch_all(client, f"{stack.url('sessions')}/groups")
            return {
                place["patient_ref"]
                for group in groups
                for place in (
                    await client.get(
                        f"{stack.url('sessions')}/groups/{group['group_id']}/enrolments"
                    )
                ).json()
            }

        on_rosters = await wait_until(
            outpatient_rosters,
            lambda refs: len(refs) == len(episodes),
            timeout_s=60,
            what="sessions' outpatient rosters to follow aftercare",
        )
        assert on_rosters == {e.patient_ref for e in episodes}

        async def mentors_free() -> list[dict]:
            return await fetch_all(client, f"{stack.url('matching')}/mentors")

        mentors = await wait_until(
            mentors_free,
            lambda ms: all(m["active_mentees"] == 0 for m in ms),
            timeout_s=60,
            what="all places freed after discharge",
        )
        assert len(mentors) == 6
        final = await matches(client, stack)
        assert max(Counter(m["episode_id"] for m in final).values()) == 1
        assert {m["status"] for m in final} == {"ended"}

    logs = "".join(p.log_file.read_text() for p in stack.services.values())
    assert "started" in logs
    for identity in ("Testpatient", "Marker", "MRN-T", "V-T0"):  # names, MRNs, visit numbers
        assert identity not in logs
