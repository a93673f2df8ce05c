"""FastAPI composition shared by the services: lifespan, health, and a `serve` entry point."""

import asyncio
import logging
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import uvicorn
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse

from shared.audit import AuditRecordBase
from shared.audit_api import build_audit_router
from shared.auth import AuthConfigError, TokenVerifier, authenticate
from shared.errors import ERROR_RESPONSES, DomainError, StartupError
from shared.health import health_router
from shared.http_metrics import HttpMetricsMiddleware
from shared.http_tracing import TracingMiddleware
from shared.nul_guard import NulGuardMiddleware
from shared.runtime import ServiceRuntime

log = logging.getLogger(__name__)


__all__ = ["ERROR_RESPONSES", "build_app", "serve"]


def build_app(
    runtime: ServiceRuntime,
    *,
    title: str,
    description: str,
    routers: list[APIRouter],
    audit_model: type[AuditRecordBase] | None = None,
    options: Sequence[object] = (),
) -> FastAPI:
    """A FastAPI app whose lifespan starts and drains the runtime (broker started here), with
    the audit trail kept in `audit_model`'s table when given; `options` are the features'
    settings values, each found by its type through `shared.depends.options`."""

    guard: list[Any] = []
    auth_problem: str | None = None
    if runtime.settings.auth_required:
        try:
            verifier = TokenVerifier(runtime.settings)
        except AuthConfigError as error:
            auth_problem = str(error)
        guard = [Depends(authenticate)]

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if auth_problem:
            raise StartupError(auth_problem)
        await runtime.start()
        try:
            yield
        finally:
            await runtime.stop()

    # FastAPI's own telemetry would put query strings (an MRN looked up) into spans and request
    # values from validation failures into logs; Saathi's middleware records neither.
    app = FastAPI(
        title=title,
        description=description,
        version="1.0",
        lifespan=lifespan,
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.runtime = runtime
    app.state.options = {type(value): value for value in options}
    app.state.audit_model = audit_model
    if audit_model is not None:
        routers = [*routers, build_audit_router(runtime, audit_model)]
    app.state.auth_problem = auth_problem
    if runtime.settings.auth_required and auth_problem is None:
        app.state.token_verifier = verifier
    _add_middleware(app, runtime.name)

    @app.exception_handler(DomainError)
    async def domain_error(_: Request, error: DomainError) -> JSONResponse:
        return JSONResponse({"detail": error.reason}, status_code=error.status_code)

    app.include_router(health_router(runtime))
    for router in routers:
        app.include_router(router, dependencies=guard)
    return app


def _add_middleware(app: FastAPI, service: str) -> None:
    """Innermost first: NUL guard, then the request's span, then its metrics (outermost, so a
    request the inner ones refuse or fail is still counted)."""
    app.add_middleware(NulGuardMiddleware)
    app.add_middleware(TracingMiddleware)
    app.add_middleware(HttpMetricsMiddleware, service=service)


async def _serve(app: FastAPI, runtime: ServiceRuntime) -> None:
    settings = runtime.settings
    try:
        if app.state.auth_problem:
            raise StartupError(app.state.auth_problem)
        await runtime.start()  # before binding HTTP, so a missing dependency fails fast and clearly
    except StartupError as error:
        print(f"error: {error}", file=sys.stderr)
        await runtime.stop()
        raise SystemExit(2) from None
    # A live stream (a console following its alerts) never ends on its own: without a grace
    # limit uvicorn waits for it forever and the orchestrator's SIGKILL skips the drain.
    config = uvicorn.Config(
        app,
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=int(settings.shutdown_grace_s),
    )
    # uvicorn turns SIGINT/SIGTERM into a graceful exit; the lifespan then drains the runtime.
    await uvicorn.Server(config).serve()


def serve(app: FastAPI) -> None:
    """Run a service until SIGINT/SIGTERM, then drain (lifespan stop)."""
    runtime: ServiceRuntime = app.state.runtime
    asyncio.run(_serve(app, runtime))
