"""Every screen, as the role that works in it, in English and in Bengali: it loads its panels,
passes axe-core with no serious or critical violation, and is kept as a screenshot for the
docs. Keyboard: the skip link is the first stop and leads to the main content."""

import pytest

from browser.people import keep_screenshot, serious_violations, sign_in

pytestmark = pytest.mark.browser

SCREENS = [
    ("board", "coordinator", "kol-salt-lake", "co-kol-salt-lake", "/board"),
    ("board-network", "coordinator", None, "co-network", "/board"),
    ("duty", "clinician", "kol-salt-lake", "dr-salt-lake-day", "/duty"),
    ("alerts", "coordinator", "kol-salt-lake", "co-kol-salt-lake", "/alerts"),
    ("rosters", "coordinator", None, "co-network", "/rosters?branch=kol-salt-lake"),
    ("aftercare", "coordinator", None, "co-network", "/aftercare"),
    ("mentor", "mentor", "kol-salt-lake", "kol-salt-lake-m0", "/mentor"),
    ("supervisor", "supervisor", "kol-salt-lake", "sup-kol-salt-lake", "/supervisor"),
    ("ops", "ops", None, "ops-1", "/ops"),
]


@pytest.mark.parametrize(
    ("name", "role", "branch", "person", "path"), SCREENS, ids=[s[0] for s in SCREENS]
)
async def test_the_screen_is_accessible_in_both_languages(
    platform, new_page, name, role, branch, person, path
):
    page = await new_page()
    await sign_in(page, path, role, branch, person)
    await page.wait_for_load_state("networkidle")
    assert await page.locator("p.problem").count() == 0, await page.locator(
        "p.problem"
    ).first.inner_text()
    assert await serious_violations(page) == []
    await keep_screenshot(page, f"screen-{name}")

    await page.keyboard.press("Tab")
    skip = page.locator("a.skip")
    assert await skip.evaluate("element => element === document.activeElement")

    await page.get_by_label("Language").select_option("bn")
    await page.get_by_role("button", name="Change").click()
    await page.wait_for_load_state("networkidle")
    assert await page.locator("html").get_attribute("lang") == "bn"
    assert await serious_violations(page) == []
    await keep_screenshot(page, f"screen-{name}-bn")
