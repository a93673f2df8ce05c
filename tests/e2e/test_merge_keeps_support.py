"""A merge (HL7 A40) across the four processes keeps what the person had: each stay keeps its
match and mentor with no end reason (no withdrawal is invented), the most recently recorded
preferences survive under the surviving record, and when both records held a match, both
stays keep theirs (the coordinator resolves a duplicated stay, e.g. by cancelling it)."""

import httpx
import pytest

from e2e.flow import fetch_all, matches
from e2e.test_hl7_flow import A40, consent
from helpers import factories
from helpers.hl7 import codes
from helpers.streams import messages_on
from helpers.waiting import wait_until
from saathi_stack.hl7_samples import admission

pytestmark = pytest.mark.e2e
BRANCH = "kol-salt-lake"


def a01(n: int) -> bytes:
    return admission(
        control_id=f"E2E-MG-A01-{n}",
        mrn=f"E2E-MG{n}",
        visit=f"E2E-MGV{n}",
        branch=BRANCH,
        ward="ward-a",
        family="Testpatient",
        given=f"Marker{n}",
        language="bn",
    )


async def _admit_with_preferences(
    client: httpx.AsyncClient, stack, port: int, n: int, gender: str
) -> tuple[str, dict]:
    """Admitted over HL7, preferences recorded in the consent conversation, then consent;
    the patient_ref and the match made."""
    intake, matching = stack.url("intake"), stack.url("matching")
    assert await codes(port, a01(n)) == ["AA"]
    key = {"authority": "SAATHI", "type": "MR", "value": f"E2E-MG{n}"}
    found = await client.get(f"{intake}/patients", params=key)
    ref = str(found.json()["patient_ref"])
    await wait_until(
        lambda: client.put(
            f"{matching}/patients/{ref}/preferences",
            json={"mentor_gender": gender, "recorded_by": "coord-e2e"},
        ),
        lambda response: response.status_code == 200,
        timeout_s=60,
        what="preferences recorded",
    )
    assert await consent(client, intake, f"E2E-MG{n}") == ref
    [match] = await wait_until(
        lambda: fetch_all(client, f"{matching}/matches", patient_ref=ref, status="active"),
        timeout_s=60,
        what="matched",
    )
    return ref, match


async def test_a_merge_keeps_both_stays_matches_mentors_and_the_latest_preferences(stack):
    port, matching = stack.config.mllp_port, stack.url("matching")
    async with httpx.AsyncClient(timeout=10, headers=stack.auth_headers()) as client:
        for gender in ("male", "female"):
            mentor = factories.mentor(mentor_id=f"mg-{gender}", branches=[BRANCH], gender=gender)
            assert (await client.post(f"{matching}/mentors", json=mentor)).is_success
        duplicate, his = await _admit_with_preferences(client, stack, port, 2, "male")
        survivor, hers = await _admit_with_preferences(client, stack, port, 1, "female")
        assert (his["mentor_id"], hers["mentor_id"]) == ("mg-male", "mg-female")

        merge = A40.format(cid="E2E-MG-A40", keep="E2E-MG1", drop="E2E-MG2").encode()
        assert await codes(port, merge) == ["AA"]

        after = await wait_until(
            lambda: matches(client, stack),
            lambda rows: {m["patient_ref"] for m in rows} == {survivor},
            timeout_s=60,
            what="matching re-keyed the merged record's match",
        )
        prefs = await client.get(f"{matching}/patients/{survivor}/preferences")
        merged_prefs = await client.get(f"{matching}/patients/{duplicate}/preferences")
    assert sorted((m["match_id"], m["mentor_id"], m["status"]) for m in after) == sorted(
        (m["match_id"], m["mentor_id"], "active") for m in (his, hers)
    )
    assert all(m["ended_reason"] is None for m in after)
    assert prefs.json()["mentor_gender"] == "female"
    assert merged_prefs.status_code == 404
    ended = await messages_on(stack.nats_url, "SAATHI_MATCHING", "matching.match.ended")
    assert ended == []
