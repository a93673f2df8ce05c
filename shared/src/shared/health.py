"""Liveness, readiness and metrics endpoints every service mounts."""

from typing import Protocol

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from shared.metrics import READINESS_CHECK


class Checkable(Protocol):
    """Anything that can report readiness checks, under its service's name."""

    name: str

    async def readiness(self) -> dict[str, tuple[bool, str]]: ...


def health_router(runtime: Checkable) -> APIRouter:
    """`/healthz` (process alive), `/readyz` (DB, broker, consumers healthy), `/metrics`."""
    router = APIRouter(tags=["operations"])

    @router.get("/healthz", summary="Liveness: the process serves requests")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/readyz", summary="Readiness: database, broker and consumers are healthy")
    async def readyz() -> JSONResponse:
        checks = await runtime.readiness()
        ready = all(ok for ok, _ in checks.values())
        for name, (ok, _) in checks.items():
            READINESS_CHECK.labels(runtime.name, name).set(1 if ok else 0)
        body = {
            "service": runtime.name,
            "status": "ready" if ready else "not ready",
            "checks": {name: {"ok": ok, "detail": detail} for name, (ok, detail) in checks.items()},
        }
        return JSONResponse(body, status_code=200 if ready else 503)

    router.add_api_route(
        "/metrics", metrics_page, summary="Prometheus metrics", include_in_schema=False
    )
    return router


async def metrics_page() -> Response:
    """This process's Prometheus metrics, in the text exposition format."""
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
