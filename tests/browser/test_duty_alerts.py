"""A crisis in the browser: a mentor flags it in one step on their screen, and the clinician
on duty's open page shows it within 2 s without a reload, and sounds it; nobody acknowledging
lets the clock pass to the next in the chain, whose page shows and sounds it; the e-mailed
link acknowledges it; a clinician of another branch never sees it; the screen reads in
Bengali; every page passes axe-core."""

import email
import email.policy
import re
import time

import httpx
import pytest

from browser.people import keep_screenshot, serious_violations, sign_in
from browser.platform import ACK_DEADLINE_S
from e2e.flow import admit_with_consent, fetch_all, matches, seed
from helpers.waiting import wait_until

pytestmark = pytest.mark.browser
ACK_LINK = r"http://127\.0\.0\.1:\d+/ack/[A-Za-z0-9._~=-]+\?via=email"
BRANCH = "kol-salt-lake"
CHAIN = [
    {"person_id": "dr-first", "role": "clinician"},
    {"person_id": "dr-second", "role": "clinician"},
]


@pytest.fixture(scope="module")
async def duty_chain(platform) -> list[dict]:
    """Mentors and groups at every branch, and a duty chain of two at BRANCH."""
    stack = platform.stack
    sessions, notify = stack.url("sessions"), stack.url("notify")
    async with httpx.AsyncClient(timeout=10, headers=stack.auth_headers()) as api:
        await seed(api, stack, mentors_per_branch=1, capacity=10)
        for link in CHAIN:
            entry = {
                "roles": ["clinician"],
                "branches": [BRANCH],
                "email": f"{link['person_id']}@hospital.test",
            }
            assert (await api.put(f"{notify}/people/{link['person_id']}", json=entry)).is_success
        roster = await api.put(f"{sessions}/duty-rosters/{BRANCH}", json={"chain": CHAIN})
        assert roster.is_success, roster.text
    return CHAIN


async def _new_match(platform) -> dict:
    """A patient admitted at BRANCH with consent, matched, and known to sessions."""
    stack = platform.stack
    sessions = stack.url("sessions")
    async with httpx.AsyncClient(timeout=10, headers=stack.auth_headers()) as api:
        [admitted] = await admit_with_consent(api, stack, 1)
        found = await wait_until(
            lambda: matches(api, stack),
            lambda rows: any(row["episode_id"] == admitted.episode_id for row in rows),
            what="the new patient's match",
        )
        [match] = [row for row in found if row["episode_id"] == admitted.episode_id]
        await wait_until(
            lambda: fetch_all(api, f"{sessions}/sessions", match_id=match["match_id"]),
            what="sessions knows the match",
        )
    return match


async def _flag(platform, match: dict) -> str:
    async with httpx.AsyncClient(timeout=10, headers=platform.stack.auth_headers()) as api:
        flagged = await api.post(
            f"{platform.stack.url('sessions')}/crises",
            json={"match_id": match["match_id"], "severity": "high"},
        )
    assert flagged.status_code == 201, flagged.text
    return str(flagged.json()["crisis_id"])


async def _crisis(platform, crisis_id: str) -> dict:
    async with httpx.AsyncClient(timeout=10, headers=platform.stack.auth_headers()) as api:
        return dict((await api.get(f"{platform.stack.url('sessions')}/crises/{crisis_id}")).json())


async def test_a_crisis_reaches_the_duty_screen_then_the_next_in_the_chain(
    platform, duty_chain, new_page
):
    match = await _new_match(platform)
    first, second, elsewhere = await new_page(), await new_page(), await new_page()
    await sign_in(first, "/duty", "clinician", BRANCH, "dr-first")
    await sign_in(second, "/duty", "clinician", BRANCH, "dr-second")
    await sign_in(elsewhere, "/duty", "clinician", "kol-behala", "dr-behala-duty")
    for page in (first, second, elsewhere):
        await page.locator("#crises-panel .empty").wait_for()  # loaded and following live

    mentor = await new_page()
    await sign_in(mentor, "/mentor", "mentor", BRANCH, match["mentor_id"])
    await mentor.locator(f'#mentees-panel li[data-match="{match["match_id"]}"]').wait_for()
    await mentor.locator(f"#severity-{match['match_id']}").select_option("high")
    await mentor.locator(f"#flag-{match['match_id']}").click()
    flagged_at = time.monotonic()
    confirmation = mentor.locator("#crisis-flagged")
    await confirmation.wait_for()
    assert "the clinician on duty has been alerted" in await confirmation.inner_text()
    crisis_id = str(await confirmation.get_attribute("data-crisis"))
    await keep_screenshot(mentor, "mentor-crisis-flagged")
    assert await serious_violations(mentor) == []
    card = first.locator(f'#crises-panel [data-crisis="{crisis_id}"]')
    await card.wait_for(timeout=2_000)  # within 2 s, no reload
    assert time.monotonic() - flagged_at < 2.0
    await first.locator("#alerts-panel [data-kind=crisis]").wait_for(timeout=5_000)
    assert int(await first.evaluate("document.body.dataset.alertsHeard || 0")) >= 1
    assert await card.locator("time.countdown").count() == 1  # the time left before escalation
    await keep_screenshot(first, "duty-crisis")
    assert await serious_violations(first) == []

    platform.move_clock(ACK_DEADLINE_S + 5)  # nobody acknowledges in time
    await second.locator("#alerts-panel [data-kind=crisis]").wait_for(timeout=10_000)
    assert int(await second.evaluate("document.body.dataset.alertsSeen || 0")) >= 1
    await second.locator(f'#crises-panel [data-crisis="{crisis_id}"]').wait_for()
    escalated = await _crisis(platform, crisis_id)
    assert [alert["person_id"] for alert in escalated["alerts"]][:2] == ["dr-first", "dr-second"]

    await elsewhere.reload()
    await elsewhere.locator("#crises-panel .empty").wait_for()
    assert await elsewhere.locator(f'[data-crisis="{crisis_id}"]').count() == 0

    await first.get_by_label("Language").select_option("bn")
    await first.get_by_role("button", name="Change").click()
    await first.get_by_role("heading", level=1, name="ডিউটিতে").wait_for()
    await first.evaluate("document.fonts.ready")
    bengali_font = await first.evaluate("document.fonts.check('16px \"Noto Sans Bengali\"', 'সাথী')")
    assert bengali_font and await first.locator("html").get_attribute("lang") == "bn"
    await keep_screenshot(first, "duty-bengali")
    assert await serious_violations(first) == []


async def test_the_crisis_is_acknowledged_from_the_emailed_link(platform, duty_chain, new_page):
    match = await _new_match(platform)
    already = len(platform.mailbox.mails)
    crisis_id = await _flag(platform, match)

    async def link() -> str | None:
        for raw in platform.mailbox.mails[already:]:
            message = email.message_from_bytes(raw, policy=email.policy.default)
            for part in message.walk():
                if part.is_multipart():
                    continue
                found = re.search(ACK_LINK, str(part.get_content()))
                if found:
                    return found.group()
        return None

    ack_url = await wait_until(link, timeout_s=30, what="the crisis e-mail with its link")
    page = await new_page()
    await page.goto(ack_url)
    await keep_screenshot(page, "ack-link-confirm")
    assert await serious_violations(page) == []
    await page.locator("form button[type=submit]").click()
    await page.wait_for_load_state()
    taken = await wait_until(
        lambda: _crisis(platform, crisis_id),
        lambda crisis: crisis["status"] == "acknowledged",
        what="the crisis acknowledged from the link",
    )
    assert taken["acknowledged_by"] == "dr-first"
