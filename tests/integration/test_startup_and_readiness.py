"""Fail fast with a clear message when a dependency is missing; /readyz follows the broker."""

import time

import pytest

from helpers.apps import FAST, running
from helpers.backends import start_embedded_nats
from helpers.waiting import wait_until
from intake.app import create_app
from intake.config import IntakeSettings
from saathi_stack.ports import free_port
from sessions.app import create_app as create_sessions
from sessions.config import SessionsSettings
from shared.errors import StartupError
from shared.runtime import ServiceRuntime


async def test_nats_unreachable_fails_fast_with_advice(dbs):
    settings = IntakeSettings(
        database_url=await dbs.url("intake"),
        nats_url=f"nats://127.0.0.1:{free_port()}",
        **{**FAST, "startup_timeout_s": 2},
    )
    runtime = ServiceRuntime("intake", settings, env_prefix="INTAKE_", migrations_package="intake")
    started = time.monotonic()
    with pytest.raises(StartupError, match=r"cannot reach NATS .* INTAKE_NATS_URL"):
        await runtime.start()
    assert time.monotonic() - started < 10
    await runtime.stop()


async def test_database_unreachable_fails_fast_with_advice(nats_url):
    settings = IntakeSettings(
        database_url=f"postgresql+asyncpg://nobody@127.0.0.1:{free_port()}/none",
        nats_url=nats_url,
        **{**FAST, "startup_timeout_s": 2},
    )
    runtime = ServiceRuntime("intake", settings, env_prefix="INTAKE_", migrations_package="intake")
    with pytest.raises(StartupError, match=r"cannot reach the database .* INTAKE_DATABASE_URL"):
        await runtime.start()
    await runtime.stop()


async def test_readiness_reports_a_lost_broker(tmp_path, dbs):
    server = start_embedded_nats(tmp_path / "own-nats")  # its own, so the test can kill it
    settings = IntakeSettings(database_url=await dbs.url("intake"), nats_url=server.url, **FAST)
    try:
        async with running(create_app, settings) as intake:
            assert (await intake.client.get("/readyz")).status_code == 200
            server.kill()
            response = await wait_until(
                lambda: intake.client.get("/readyz"),
                lambda r: r.status_code == 503,
                what="not ready",
            )
            assert response.json()["checks"]["broker"] == {"ok": False, "detail": "disconnected"}
            assert (await intake.client.get("/healthz")).status_code == 200
    finally:
        server.stop()


@pytest.mark.parametrize(
    ("branches", "refusal"),
    [
        (
            ["kol-park-street"],
            r"kol-park-street has nobody on duty at any hour of the week \(Asia/Kolkata\)",
        ),
        ([], r"SESSIONS_BRANCHES names no branch and no network on-call covers every hour"),
    ],
)
async def test_sessions_refuses_to_start_while_a_crisis_would_alert_nobody(
    nats_url, dbs, branches, refusal
):
    settings = SessionsSettings(
        database_url=await dbs.url("sessions"),
        nats_url=nats_url,
        **{**FAST, "fallback_duty_chain": [], "branches": branches},
    )
    runtime = create_sessions(settings).state.runtime
    with pytest.raises(StartupError, match=f"{refusal}.*SESSIONS_FALLBACK_DUTY_CHAIN"):
        await runtime.start()
    await runtime.stop()
