"""Erasure at the patient's request across the four processes: intake forgets who the patient
is and withdraws consent; matching deletes their preferences, sessions erases the peer note and
the goal's words, aftercare deletes the wish; each service's audit trail keeps the fact."""

import httpx
import pytest

from e2e.flow import admit_with_consent, fetch_all, seed
from helpers.waiting import wait_until
from saathi_stack.audit_cli import gather

pytestmark = pytest.mark.e2e
SERVICES = ("intake", "matching", "sessions", "aftercare")


async def test_an_erasure_request_reaches_every_service_and_the_trail_keeps_the_fact(stack):
    intake, matching, sessions, aftercare = (stack.url(s) for s in SERVICES)
    privacy = stack.auth_headers("privacy_officer")
    async with httpx.AsyncClient(timeout=10, headers=stack.auth_headers()) as client:
        await seed(client, stack, mentors_per_branch=1, capacity=5)
        [stay] = await admit_with_consent(client, stack, 1)
        ref = stay.patient_ref
        patient = (await client.get(f"{intake}/patients/{ref}")).json()
        mrn = next(i for i in patient["identifiers"] if i["type"] == "MR")
        [intro] = await wait_until(
            lambda: fetch_all(client, f"{sessions}/sessions", patient_ref=ref),
            timeout_s=60,
            what="the introduction booked",
        )
        done = await client.post(
            f"{sessions}/sessions/{intro['session_id']}/complete",
            json={"attended": True, "duration_minutes": 30, "note": "spoke about her sister"},
        )
        goal = await client.post(
            f"{sessions}/goals",
            json={"match_id": intro["match_id"], "what": "call my sister", "why": "I miss her"},
        )
        wish = await client.put(
            f"{aftercare}/patients/{ref}/aftercare-wish", json={"focus": ["anxiety"]}
        )
        preferences = await client.put(
            f"{matching}/patients/{ref}/preferences",
            json={"recorded_by": "coord-1", "interests": ["music"]},
        )
        assert [r.status_code for r in (done, goal, wish, preferences)] == [200, 201, 200, 200]

        erased = await client.post(f"{intake}/patients/{ref}/erasure", headers=privacy)
        again = await client.post(f"{intake}/patients/{ref}/erasure", headers=privacy)

        assert erased.status_code == 200, erased.text
        assert erased.json()["given_name"] == "[erased]" and erased.json()["identifiers"] == []
        assert again.status_code == 409
        key = {"authority": mrn["authority"], "type": "MR", "value": mrn["value"]}
        lookup = await client.get(f"{intake}/patients", params=key)
        assert lookup.status_code == 404

        async def erased_everywhere() -> dict[str, bool]:
            found = {}
            for name in SERVICES:
                rows = (
                    await client.get(
                        f"{stack.url(name)}/audit", params={"patient_ref": ref}, headers=privacy
                    )
                ).json()
                found[name] = any(
                    r["action"] in ("erase", "write") and r["purpose"] == "dpdp_erasure"
                    for r in rows
                )
            return found

        await wait_until(
            erased_everywhere,
            lambda seen: all(seen.values()),
            timeout_s=60,
            what="erased in every service",
        )
        note = (await client.get(f"{sessions}/sessions/{intro['session_id']}")).json()["note"]
        [kept_goal] = await fetch_all(client, f"{sessions}/goals", patient_ref=ref)
        assert note is None and kept_goal["what"] == "[erased]" and kept_goal["why"] == "[erased]"
        gone = await client.get(f"{matching}/patients/{ref}/preferences")
        assert gone.status_code == 404
        await wait_until(
            lambda: fetch_all(client, f"{matching}/matches", patient_ref=ref),
            lambda rows: rows and all(r["status"] == "ended" for r in rows),
            timeout_s=60,
            what="the match ended with consent",
        )
        every = await gather(
            {name: stack.url(name) for name in SERVICES}, stack.token("privacy_officer"), ref
        )
        assert {row["service"] for row in every} == set(SERVICES)
        assert [row["at"] for row in every] == sorted(row["at"] for row in every)
        trail = [row for row in every if row["service"] == "intake"]
        assert [r["legal_basis"] for r in trail if r["purpose"] == "dpdp_erasure"] == [
            "DPDP Act 2023 s.12(3)",
            "DPDP Act 2023 s.12(3)",  # the erasure, then the refused second request
        ]
