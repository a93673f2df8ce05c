"""The coordinator's board in the browser: a proposal arrives live, approving it makes the match
and `match made` arrives in "What just happened" without a reload; the board passes axe-core."""

import httpx
import pytest

from browser.people import keep_screenshot, serious_violations, sign_in
from browser.platform import REVIEWING
from helpers import factories

pytestmark = pytest.mark.browser


async def test_a_coordinator_approves_a_proposal_and_sees_the_match_made(platform, new_page):
    stack = platform.stack
    page = await new_page()
    await sign_in(page, "/board", "coordinator", REVIEWING, "co-kol-behala")
    await page.locator("#proposals-panel").wait_for()
    async with httpx.AsyncClient(timeout=10, headers=stack.auth_headers()) as api:
        mentor = factories.mentor(mentor_id="bh-board-mentor", branches=[REVIEWING], capacity=5)
        created = await api.post(f"{stack.url('matching')}/mentors", json=mentor)
        assert created.status_code in (201, 409), created.text
        body = factories.admission(REVIEWING, consent=factories.consent())
        admitted = await api.post(f"{stack.url('intake')}/admissions", json=body)
        assert admitted.status_code == 201, admitted.text

    proposal = page.locator("#proposals-panel li[data-match]").first
    await proposal.wait_for(timeout=20_000)  # arrives live: no reload
    match_id = await proposal.get_attribute("data-match")
    assert await proposal.locator("table.explanation tr[data-criterion]").count() >= 1
    await keep_screenshot(page, "board-proposal")
    assert await serious_violations(page) == []

    await page.locator(f"#approve-{match_id}").click()
    await page.locator("#outcome p.notice").wait_for()
    made = page.locator('#activity li[data-type="matching.match.made"]')
    await made.first.wait_for(timeout=10_000)
    assert "match made" in (await made.first.inner_text())
    async with httpx.AsyncClient(timeout=10, headers=stack.auth_headers()) as api:
        answer = await api.get(f"{stack.url('matching')}/matches", params={"status": "active"})
    assert match_id in {row["match_id"] for row in answer.json()}
    await keep_screenshot(page, "board-match-made")
