"""Fixtures of the browser tests: one platform and one Chromium for the whole run, a fresh
browser context (its own cookies) per person in a test."""

import os
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

import pytest

from browser.platform import Platform, running_platform

playwright_api = pytest.importorskip("playwright.async_api")

CHROMIUM = os.environ.get("SAATHI_CHROMIUM", "/usr/bin/chromium")
# Without these, Chromium keeps trying to reach Google's hosts, which this network refuses.
QUIET_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    with running_platform(tmp_path_factory.mktemp("browser-stack")) as running:
        yield running


@pytest.fixture(scope="session")
async def chromium() -> AsyncIterator[object]:
    if not shutil.which(CHROMIUM):
        pytest.fail(
            f"no Chromium at {CHROMIUM}: run `make browser-test` (installs Debian's chromium)"
        )
    async with playwright_api.async_playwright() as driver:
        browser = await driver.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=QUIET_FLAGS
        )
        yield browser
        await browser.close()


@pytest.fixture
async def new_page(chromium, platform: Platform) -> AsyncIterator[Callable[[], Awaitable[object]]]:
    """Opens pages, each in its own browser context (a separate person), closed afterwards."""
    contexts = []

    async def open_page():
        context = await chromium.new_context(
            base_url=platform.console, locale="en-GB", timezone_id="Asia/Kolkata"
        )
        await context.grant_permissions(["notifications"], origin=platform.console)
        contexts.append(context)
        page = await context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        await context.close()
