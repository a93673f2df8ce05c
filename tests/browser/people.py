"""What a person does in the browser: sign in through the dev issuer's page, check a page with
axe-core, keep a screenshot of it."""

import os
from pathlib import Path

from axe_playwright_python.async_playwright import Axe

SCREENSHOTS = Path(os.environ.get("SAATHI_SCREENSHOTS", "var/browser/screenshots"))
SERIOUS = {"serious", "critical"}
AXE = Axe()


async def sign_in(page, path: str, role: str, branch: str | None, person: str) -> None:
    """Open `path` on the console, sign in as `person` in `role` at `branch` on the dev
    issuer's page, and wait to be back on the console."""
    await page.goto(path)
    await page.get_by_label("Role").select_option(role)
    await page.get_by_label("Branch").select_option(branch or "")
    await page.locator("input[name=person_id]").fill(person)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url(f"**{path}*")


async def serious_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now."""
    results = await AXE.run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation.get("impact") in SERIOUS
    ]


async def keep_screenshot(page, name: str) -> Path:
    """A full-page screenshot in the folder CI keeps."""
    path = SCREENSHOTS / f"{name}.png"
    await page.screenshot(path=str(path), full_page=True)  # makes the folder
    return path
