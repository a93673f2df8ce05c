"""Signing in to the console through the dev OIDC issuer over real HTTP: code + PKCE lands on
the page asked for with an HttpOnly, SameSite session cookie; a forged state, a replayed code or
another site to return to get nowhere; signing out ends the session."""

import html
import re
import subprocess
import sys

import httpx
import pytest
from browser.platform import running_platform

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory):
    with running_platform(tmp_path_factory.mktemp("sign-in")) as running:
        yield running


def _form(page: str) -> dict[str, str]:
    hidden = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)
    return {name: html.unescape(value) for name, value in hidden}


async def _to_callback(client: httpx.AsyncClient, platform, path: str) -> str:
    """Follow the console to the issuer's page, sign in as a clinician, return the callback URL."""
    login = await client.get(f"{platform.console}{path}")
    assert login.status_code == 303 and login.headers["location"].startswith("/login")
    authorize = await client.get(f"{platform.console}{login.headers['location']}")
    assert (
        authorize.status_code == 303
        and "code_challenge_method=S256" in authorize.headers["location"]
    )
    page = await client.get(authorize.headers["location"])
    form = _form(page.text) | {
        "role": "clinician",
        "branch": "kol-salt-lake",
        "person_id": "dr-sign-in",
    }
    code = await client.post(f"{platform.stack.url('dev-oidc')}/authorize", data=form)
    assert code.status_code == 303
    return str(code.headers["location"])


async def test_code_and_pkce_open_a_session_on_the_page_asked_for(platform):
    async with httpx.AsyncClient(timeout=10) as client:
        callback = await _to_callback(client, platform, "/duty")
        landed = await client.get(callback)
        assert landed.status_code == 303 and landed.headers["location"] == "/duty"
        cookie = landed.headers["set-cookie"]
        assert "saathi_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
        page = await client.get(f"{platform.console}/duty")
        assert page.status_code == 200 and "dr-sign-in" in page.text
        replayed = await client.get(callback)  # the same code again: refused by the issuer
        assert replayed.status_code == 400

        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        out = await client.post(f"{platform.console}/logout", data={"csrf": csrf})
        assert out.status_code == 303
        again = await client.get(f"{platform.console}/duty")
        assert again.status_code == 303 and again.headers["location"].startswith("/login")


async def test_a_forged_state_or_another_site_gets_nowhere(platform):
    async with httpx.AsyncClient(timeout=10) as client:
        callback = await _to_callback(client, platform, "/duty")
        forged = re.sub(r"state=[^&]+", "state=forged", callback)
        refused = await client.get(forged)
        assert refused.status_code == 400 and "saathi_session=" not in refused.headers.get(
            "set-cookie", ""
        )
    async with httpx.AsyncClient(timeout=10) as client:
        await client.get(f"{platform.console}/login", params={"next": "//evil.example/x"})
        start = await client.get(f"{platform.console}/login", params={"next": "//evil.example/x"})
        page = await client.get(start.headers["location"])
        form = _form(page.text) | {"role": "clinician", "branch": "", "person_id": "dr-x"}
        code = await client.post(f"{platform.stack.url('dev-oidc')}/authorize", data=form)
        landed = await client.get(code.headers["location"])
        assert landed.headers["location"] == "/"


def test_the_console_refuses_to_start_without_a_session_secret():
    run = subprocess.run(
        [sys.executable, "-m", "console", "serve"],
        env={"PATH": "/usr/bin:/bin", "CONSOLE_HTTP_PORT": "1"},
        capture_output=True,
        timeout=60,
    )
    assert run.returncode == 2 and b"CONSOLE_SESSION_SECRET: Field required" in run.stderr
