"""The mentor's screen against the running platform: the mentor sees their mentee, logs a
session with its peer note and flags a crisis in one step from the screen (both reach
sessions), while another mentor sees neither the mentee nor may flag for them."""

from datetime import UTC, datetime

import httpx
import pytest

from console.mentor import view
from e2e.flow import admit_with_consent, fetch_all
from helpers import factories
from helpers.console import running_console
from helpers.waiting import wait_until

pytestmark = pytest.mark.e2e
BRANCH = "kol-salt-lake"


async def _matched_mentee(api: httpx.AsyncClient, stack) -> tuple[dict, dict]:
    """A mentor at the branch, another elsewhere, one consenting admission matched to the
    first, the branch's duty roster, and the introduction session sessions scheduled."""
    for mentor_id, branch in (("m-mine", BRANCH), ("m-other", "kol-behala")):
        body = factories.mentor(mentor_id=mentor_id, branches=[branch], capacity=2)
        created = await api.post(f"{stack.url('matching')}/mentors", json=body)
        assert created.status_code == 201, created.text
    await admit_with_consent(api, stack, 1)
    [match] = await wait_until(
        lambda: fetch_all(api, f"{stack.url('matching')}/matches", status="active"),
        what="the match",
    )
    assert match["mentor_id"] == "m-mine"
    sessions = stack.url("sessions")
    chain = [{"person_id": "dr-duty", "role": "clinician"}]
    roster = await api.put(f"{sessions}/duty-rosters/{BRANCH}", json={"chain": chain})
    assert roster.is_success, roster.text
    [introduction] = await wait_until(
        lambda: fetch_all(api, f"{sessions}/sessions", match_id=match["match_id"]),
        what="the introduction session",
    )
    return match, introduction


async def test_the_mentor_sees_their_mentee_logs_a_session_and_flags_a_crisis(stack):
    async with httpx.AsyncClient(timeout=10, headers=stack.auth_headers()) as api:
        match, introduction = await _matched_mentee(api, stack)
        sessions = stack.url("sessions")
        async with running_console(stack) as console:
            mentor = console.client("mentor", None, "m-mine")
            page = await mentor.get("/mentor")
            assert page.status_code == 200 and 'sse-connect="/live"' in page.text
            mentees = await mentor.get("/mentor/mentees")
            assert f'data-match="{match["match_id"]}"' in mentees.text
            assert match["patient_ref"] in mentees.text
            assert f'id="flag-{match["match_id"]}"' in mentees.text

            week = await mentor.get("/mentor/sessions")
            in_week = view.sessions_this_week([introduction], datetime.now(UTC), "Asia/Kolkata")
            assert (f'data-session="{introduction["session_id"]}"' in week.text) == bool(in_week)
            due = await mentor.get("/mentor/due")
            assert due.status_code == 200 and 'data-questionnaire="phq9"' in due.text

            form = {"attended": "yes", "duration_minutes": "40", "note": "Talked about home."}
            logged = await mentor.post(
                f"/mentor/sessions/{introduction['session_id']}/log", data=form
            )
            assert logged.status_code == 200 and 'id="session-logged"' in logged.text
            held = (await api.get(f"{sessions}/sessions/{introduction['session_id']}")).json()
            assert (held["status"], held["note"], held["duration_minutes"]) == (
                "completed",
                "Talked about home.",
                40,
            )

            flag = {"match_id": match["match_id"], "severity": "critical", "summary": "Not safe"}
            flagged = await mentor.post("/mentor/crises", data=flag)
            assert flagged.status_code == 200 and 'id="crisis-flagged"' in flagged.text
            assert "the clinician on duty has been alerted" in flagged.text
            [crisis] = await fetch_all(api, f"{sessions}/crises", status="open")
            assert (crisis["match_id"], crisis["severity"], crisis["summary"]) == (
                match["match_id"],
                "critical",
                "Not safe",
            )
            assert f'data-crisis="{crisis["crisis_id"]}"' in flagged.text  # on the card now

            other = console.client("mentor", None, "m-other")
            assert match["patient_ref"] not in (await other.get("/mentor/mentees")).text
            refused = await other.post("/mentor/crises", data={**flag, "severity": "high"})
            assert 'role="alert"' in refused.text and 'id="crisis-flagged"' not in refused.text
            garbled = await mentor.post("/mentor/crises", data={**flag, "severity": "urgent"})
            assert 'role="alert"' in garbled.text and "severity" in garbled.text.lower()
            assert len(await fetch_all(api, f"{sessions}/crises")) == 1

            clinician = console.client("clinician", BRANCH, "dr-duty")
            assert (await clinician.get("/mentor")).status_code == 403
            del mentor.headers["X-CSRF-Token"]
            assert (await mentor.post("/mentor/crises", data=flag)).status_code == 403
