"""The clinician's duty screen against the running platform: a crisis a mentor flags is on it
with the time left before escalation, taking it on from the screen reaches sessions, and the
screen refuses anyone without a session or a form without the session's CSRF token."""

import httpx
import pytest

from e2e.flow import admit_with_consent, fetch_all, matches, seed
from helpers.console import running_console
from helpers.waiting import wait_until

pytestmark = pytest.mark.e2e


async def _flagged_crisis(client: httpx.AsyncClient, stack, on_duty: str) -> tuple[str, str]:
    await seed(client, stack, mentors_per_branch=1, capacity=2)
    [admitted] = await admit_with_consent(client, stack, 1)
    [match] = await wait_until(lambda: matches(client, stack), what="the match")
    sessions = stack.url("sessions")
    await wait_until(lambda: fetch_all(client, f"{sessions}/sessions"), what="sessions' match")
    chain = [{"person_id": on_duty, "role": "clinician"}]
    roster = await client.put(f"{sessions}/duty-rosters/{admitted.branch}", json={"chain": chain})
    assert roster.is_success, roster.text
    flagged = await client.post(
        f"{sessions}/crises", json={"match_id": match["match_id"], "severity": "high"}
    )
    assert flagged.status_code == 201, flagged.text
    return flagged.json()["crisis_id"], admitted.branch


async def test_the_clinician_on_duty_sees_the_crisis_and_takes_it_on(stack):
    async with httpx.AsyncClient(timeout=10, headers=stack.auth_headers()) as api:
        crisis_id, branch = await _flagged_crisis(api, stack, "dr-duty")
        async with running_console(stack) as console:
            clinician = console.client("clinician", branch, "dr-duty")
            page = await clinician.get("/duty")
            assert page.status_code == 200 and 'sse-connect="/live"' in page.text
            panel = await clinician.get("/duty/crises")
            assert f'data-crisis="{crisis_id}"' in panel.text
            assert "data-deadline=" in panel.text  # the time left before it escalates
            taken = await clinician.post(f"/duty/crises/{crisis_id}/acknowledge")
            assert taken.status_code == 200 and "problem" not in taken.text
            crisis = (await api.get(f"{stack.url('sessions')}/crises/{crisis_id}")).json()
            assert (crisis["status"], crisis["acknowledged_by"]) == ("acknowledged", "dr-duty")

            elsewhere = console.client(
                "clinician", "kol-behala" if branch != "kol-behala" else "kol-salt-lake", "dr-other"
            )
            hidden = await elsewhere.get("/duty/crises")
            assert crisis_id not in hidden.text  # another branch's clinician never sees it


async def test_the_console_refuses_without_a_session_or_csrf_token(stack):
    async with running_console(stack) as console:
        anonymous = console.client()
        for path in ("/", "/duty", "/duty/crises"):
            answer = await anonymous.get(path)
            assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
        assert (await anonymous.post("/duty/crises/x/acknowledge")).status_code == 401
        clinician = console.client("clinician", "kol-behala", "dr-duty")
        del clinician.headers["X-CSRF-Token"]
        refused = await clinician.post("/duty/crises/some-crisis/acknowledge")
        assert refused.status_code == 403
        forged = console.client("clinician", "kol-behala", "dr-duty")
        forged.headers["X-CSRF-Token"] = "not-the-token"
        assert (await forged.post("/duty/crises/some-crisis/acknowledge")).status_code == 403
        mentor = console.client("mentor", "kol-behala", "m-1")
        assert (await mentor.get("/duty")).status_code == 403  # not a mentor's screen
        mine = await mentor.get("/my/alerts")  # but their own alerts are theirs on any screen
        assert mine.status_code == 200 and "No alerts waiting for you." in mine.text
