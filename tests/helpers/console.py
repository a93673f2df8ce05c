"""The console in-process against a running stack, and browsers-free clients signed in as any
role (their session cookie sealed the way the console's own sign-in seals it)."""

import secrets
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from asgi_lifespan import LifespanManager

from console.app import create_app
from console.auth.session import SESSION_COOKIE, Visitor
from console.config import SERVICES, ConsoleSettings
from saathi_stack.stack import LocalStack

SECRET = "console-test-secret-" + "x" * 24


def console_settings(stack: LocalStack, **overrides: object) -> ConsoleSettings:
    """Settings pointing the console at the stack's services, NATS and token keys."""
    values: dict[str, object] = {
        "session_secret": SECRET,
        "cookie_secure": False,
        "auth_jwks_path": str(stack.issuer.jwks_path),
        "nats_url": stack.nats_url,
        "oidc_discovery_url": "http://127.0.0.1:9/unused",
        **{f"{name}_url": stack.url(name) for name in SERVICES},
        **overrides,
    }
    return ConsoleSettings(**values)  # type: ignore[arg-type]


class ConsoleClients:
    """Makes HTTP clients of the in-process console, each signed in as someone."""

    def __init__(self, app: object, stack: LocalStack) -> None:
        self._app = app
        self._stack = stack
        self.csrf: dict[str, str] = {}

    def cookie_for(self, role: str, branch: str | None, subject: str) -> tuple[str, str]:
        """A session cookie as the console's sign-in would set it, and its CSRF token."""
        token = self._stack.issuer.mint(role, branch, subject)
        csrf = secrets.token_urlsafe(16)
        visitor = Visitor(subject, role, branch, subject, token, csrf, time.time() + 3600)
        sealed = self._app.state.console.sealer.seal_visitor(visitor)  # type: ignore[attr-defined]
        return sealed, csrf

    def client(
        self, role: str | None = None, branch: str | None = None, subject: str | None = None
    ) -> httpx.AsyncClient:
        """A client (signed in when `role` is given) that does not follow redirects."""
        transport = httpx.ASGITransport(app=self._app)  # type: ignore[arg-type]
        client = httpx.AsyncClient(transport=transport, base_url="http://console.test")
        if role is not None:
            sealed, csrf = self.cookie_for(role, branch, subject or f"dev-{role}")
            client.cookies.set(SESSION_COOKIE, sealed)
            client.headers["X-CSRF-Token"] = csrf
        return client


@asynccontextmanager
async def running_console(stack: LocalStack, **overrides: object) -> AsyncIterator[ConsoleClients]:
    """The console app, started (its live hub following the stack's NATS) and stopped."""
    app = create_app(console_settings(stack, **overrides))
    async with LifespanManager(app):
        yield ConsoleClients(app, stack)
