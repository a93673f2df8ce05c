"""Run a service app in-process, with its lifespan, and talk to it over HTTP."""

import contextlib
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from typing import TypeVar

import httpx
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from helpers.auth import TEST_ISSUER, bearer
from shared.runtime import ServiceRuntime
from shared.settings import ServiceSettings

SettingsT = TypeVar("SettingsT", bound=ServiceSettings)

FAST = {
    "retry_delay_s": 0.05,
    "relay_interval_s": 0.05,
    "startup_timeout_s": 5.0,
    "log_json": False,
    "mllp_port": 0,  # intake's HL7 listener on any free port (other services ignore it)
    "auth_jwks_path": str(TEST_ISSUER.jwks_path),  # requests carry the test issuer's tokens
    # sessions: a network-level on-call hears crises at branches without a duty roster (it
    # refuses to start otherwise); the other services ignore it
    "fallback_duty_chain": [{"person_id": "network-on-call", "role": "clinician"}],
}


class RunningService:
    """An app started in-process: its HTTP client and its runtime."""

    def __init__(self, app: FastAPI, client: httpx.AsyncClient) -> None:
        self.app = app
        self.client = client

    @property
    def runtime(self) -> ServiceRuntime:
        """The service's runtime (engine, broker, relay, consumers)."""
        return self.app.state.runtime  # type: ignore[no-any-return]


@contextlib.asynccontextmanager
async def running(
    create_app: Callable[[SettingsT], FastAPI], settings: SettingsT
) -> AsyncIterator[RunningService]:
    """Start the app's lifespan (DB, broker, consumers) and yield a client for it."""
    app = create_app(settings)
    async with LifespanManager(app, startup_timeout=30, shutdown_timeout=30):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://test", headers=bearer()
        ) as client:
            yield RunningService(app, client)


class FakeClock:
    """A clock a test moves on by hand."""

    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime.now(UTC)

    def now(self) -> datetime:
        """The time the test set."""
        return self.current

    def advance(self, **delta: float) -> None:
        """Move time on (e.g. `advance(minutes=16)`)."""
        self.current += timedelta(**delta)
