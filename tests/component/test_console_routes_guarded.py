"""Every console route but sign-in, health and static files refuses without a session, and
every state-changing route refuses a session's request without its CSRF token — checked over
the app's own route table, so a new screen cannot forget either."""

import re
import time

import httpx
import pytest
from fastapi.routing import APIRoute

from console.app import ROUTERS, create_app
from console.auth.session import SESSION_COOKIE, Visitor
from console.config import ConsoleSettings

OPEN = {"/login", "/auth/callback", "/signed-out", "/healthz", "/readyz", "/metrics"}
APP = create_app(
    ConsoleSettings(session_secret="s" * 40, cookie_secure=False, live_events=False)  # type: ignore[call-arg]
)
ROUTES = sorted(
    (method, route.path)
    for router in ROUTERS
    for route in router.routes
    if isinstance(route, APIRoute) and route.path not in OPEN
    for method in route.methods - {"HEAD"}
)


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "some-id", path)


def _client(**cookies: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=APP)
    return httpx.AsyncClient(transport=transport, base_url="http://console.test", cookies=cookies)


def test_the_route_table_has_the_screens():
    paths = {path for _, path in ROUTES}
    for screen in (
        "/board",
        "/duty",
        "/alerts",
        "/rosters",
        "/aftercare",
        "/mentor",
        "/supervisor",
        "/ops",
    ):
        assert screen in paths
    assert len([r for r in ROUTES if r[0] == "POST"]) >= 10


@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
async def test_no_session_no_entry(method: str, path: str):
    async with _client() as client:
        answer = await client.request(method, _concrete(path))
    if method == "GET" and path != "/live":
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
    else:
        assert answer.status_code == 401


POSTS = [path for method, path in ROUTES if method == "POST"]


@pytest.mark.parametrize("path", POSTS)
async def test_a_post_without_the_sessions_csrf_token_changes_nothing(path: str):
    role = "ops" if path.startswith("/ops") else "coordinator"
    if path.startswith(("/mentor",)):
        role = "mentor"
    elif path.startswith("/supervisor"):
        role = "supervisor"
    visitor = Visitor("someone", role, None, "Someone", "token", "the-csrf", time.time() + 600)
    sealed = APP.state.console.sealer.seal_visitor(visitor)
    async with _client(**{SESSION_COOKIE: sealed}) as client:
        missing = await client.post(_concrete(path), data={"reason": "x"})
        wrong = await client.post(_concrete(path), data={"csrf": "forged", "reason": "x"})
    assert (missing.status_code, wrong.status_code) == (403, 403)
    assert "This form has expired" in missing.text and "This form has expired" in wrong.text
