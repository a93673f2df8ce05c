"""The coordinator's board against the running platform (Salt Lake reviews its matches): the
proposal is on the board with its per-criterion explanation and approving it there makes the
match; rejecting without a reason is refused and changes nothing; another branch's coordinator
never sees it; the waitlist says why nobody fits; an admission not yet asked is listed."""

from pathlib import Path

import httpx
import pytest

from e2e.conftest import running_stack
from e2e.flow import fetch_all
from helpers import factories
from helpers.backends import Databases
from helpers.console import running_console
from helpers.waiting import wait_until

pytestmark = pytest.mark.e2e
REVIEWING = "kol-salt-lake"
UNSERVED = "kol-behala"
PANELS = ("/board/proposals", "/board/consent", "/board/waitlist", "/board/mentors")
PANELS += ("/board/tasks", "/board/today")


async def _admit(api: httpx.AsyncClient, stack, branch: str, consent: bool = True) -> dict:
    admitted = await api.post(f"{stack.url('intake')}/admissions", json=factories.admission(branch))
    assert admitted.status_code == 201, admitted.text
    episode = admitted.json()["episode"]
    if consent:
        url = f"{stack.url('intake')}/patients/{episode['patient_ref']}/consent"
        answer = await api.put(url, json=factories.consent())
        assert answer.status_code == 200, answer.text
    return dict(episode)


async def _seed(api: httpx.AsyncClient, stack) -> tuple[dict, dict, dict]:
    """Two Salt Lake mentors, a proposal there, a Behala patient nobody serves, and a Salt Lake
    admission not yet asked about peer support. The Salt Lake coordinator is in notify's
    directory, so the proposal is a task for them."""
    person = {"roles": ["coordinator"], "branches": [REVIEWING]}
    listed = await api.put(f"{stack.url('notify')}/people/coord-sl", json=person)
    assert listed.is_success, listed.text
    for mentor_id in ("sl-a", "sl-b"):
        body = factories.mentor(mentor_id=mentor_id, branches=[REVIEWING], capacity=2)
        created = await api.post(f"{stack.url('matching')}/mentors", json=body)
        assert created.status_code == 201, created.text
    reviewed = await _admit(api, stack, REVIEWING)
    waiting = await _admit(api, stack, UNSERVED)
    unasked = await _admit(api, stack, REVIEWING, consent=False)
    matching = stack.url("matching")
    [proposal] = await wait_until(
        lambda: fetch_all(api, f"{matching}/matches", status="proposed"), what="the proposal"
    )
    assert proposal["episode_id"] == reviewed["episode_id"]
    await wait_until(lambda: fetch_all(api, f"{matching}/waitlist"), what="the waitlisted patient")
    return proposal, waiting, unasked


async def _status(api: httpx.AsyncClient, stack, match_id: str) -> str:
    [match] = [
        m
        for m in await fetch_all(api, f"{stack.url('matching')}/matches")
        if m["match_id"] == match_id
    ]
    return str(match["status"])


async def test_the_coordinator_reviews_a_proposal_and_sees_who_waits_and_why(
    tmp_path: Path, dbs: Databases
):
    env = {"MATCHING_REVIEW_BRANCHES": f'["{REVIEWING}"]'}
    async with (
        running_stack(tmp_path, dbs, env) as stack,
        httpx.AsyncClient(timeout=10, headers=stack.auth_headers()) as api,
    ):
        proposal, waiting, unasked = await _seed(api, stack)
        match_id = proposal["match_id"]
        async with running_console(stack) as console:
            coordinator = console.client("coordinator", REVIEWING, "coord-sl")
            page = await coordinator.get("/board")
            assert page.status_code == 200 and 'sse-connect="/live"' in page.text
            assert 'sse-swap="activity"' in page.text and "What just happened" in page.text
            assert 'hx-get="/board/proposals" hx-trigger="load, sse:matching-match' in page.text
            tasks = await wait_until(
                lambda: coordinator.get("/board/tasks"),
                lambda shown: 'data-kind="proposal"' in shown.text,
                what="the proposal among the open tasks",
            )
            assert "Proposal to review" in tasks.text

            panel = (await coordinator.get("/board/proposals")).text
            assert f'data-match="{match_id}"' in panel
            assert 'data-criterion="in_person"' in panel and "Serves the branch in person" in panel
            assert "Approve match" in panel and "Reject match" in panel

            elsewhere = console.client("coordinator", "kol-park-street", "coord-ps")
            assert match_id not in (await elsewhere.get("/board/proposals")).text

            refused = await coordinator.post(
                f"/board/proposals/{match_id}/reject", data={"reason": "  "}
            )
            assert refused.status_code == 200
            assert "Give a reason for rejecting the match" in refused.text
            assert await _status(api, stack, match_id) == "proposed"  # nothing changed

            rejected = await coordinator.post(
                f"/board/proposals/{match_id}/reject", data={"reason": "knows the family"}
            )
            assert "matching proposes the next best mentor" in rejected.text
            assert await _status(api, stack, match_id) == "rejected"
            [following] = await fetch_all(
                api, f"{stack.url('matching')}/matches", status="proposed"
            )
            assert f'data-match="{following["match_id"]}"' in rejected.text  # the next mentor
            in_bengali = console.client("coordinator", REVIEWING, "coord-sl")
            in_bengali.cookies.set("saathi_lang", "bn")
            assert "মিল অনুমোদন করুন" in (await in_bengali.get("/board/proposals")).text

            approved = await coordinator.post(f"/board/proposals/{following['match_id']}/approve")
            assert approved.status_code == 200 and "the match is made" in approved.text
            assert f'data-match="{following["match_id"]}"' not in approved.text
            assert await _status(api, stack, following["match_id"]) == "active"
            again = await coordinator.post(f"/board/proposals/{following['match_id']}/approve")
            assert 'class="problem"' in again.text  # matching's reason, shown on the panel

            consent = (await coordinator.get("/board/consent")).text
            assert unasked["patient_ref"] in consent
            mentors = (await coordinator.get("/board/mentors")).text
            assert 'data-mentor="sl-b"' in mentors and "1 of 2" in mentors
            for panel_path in PANELS:
                shown = await coordinator.get(panel_path)
                assert shown.status_code == 200 and 'class="problem"' not in shown.text

            network = console.client("coordinator", None, "coord-network")
            for panel_path in PANELS:
                shown = await network.get(panel_path)
                assert shown.status_code == 200 and 'class="problem"' not in shown.text, shown.text
            filtered = (await network.get("/board?branch=kol-behala")).text
            assert (
                'id="branch-choice"' in filtered and "/board/waitlist?branch=kol-behala" in filtered
            )
            listed = (await network.get("/board/waitlist", params={"branch": UNSERVED})).text
            assert waiting["patient_ref"] in listed
            assert f"No mentor who speaks bn serves {UNSERVED}" in listed
            assert waiting["patient_ref"] not in (await coordinator.get("/board/waitlist")).text

            clinician = console.client("clinician", REVIEWING, "dr-sl")
            assert (await clinician.get("/board")).status_code == 403
