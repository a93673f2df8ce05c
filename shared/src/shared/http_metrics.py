"""Request rate, errors and latency per route template, recorded by a pure ASGI middleware."""

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.metrics import HTTP_REQUESTS, HTTP_SECONDS

UNMATCHED = "unmatched"  # the route label of a request no route took (a 404 on any path)


def route_template(scope: Scope) -> str:
    """The template of the route that took the request (`/crises/{crisis_id}`), never the raw
    path, which carries ids; `unmatched` when no route took it."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) and path else UNMATCHED


class HttpMetricsMiddleware:
    """Counts every HTTP request by method, route template and status, and times it."""

    def __init__(self, app: ASGIApp, service: str) -> None:
        self._app = app
        self._service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; record it once the response starts (or the app fails)."""
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the server answers when the app fails before responding
        elapsed: float | None = None

        async def record_status(message: Message) -> None:
            nonlocal status, elapsed
            if message["type"] == "http.response.start":
                status = int(message["status"])
                elapsed = time.perf_counter() - started
            await send(message)

        try:
            await self._app(scope, receive, record_status)
        finally:
            method = scope["method"] if scope["method"] in _METHODS else "other"
            route = route_template(scope)
            HTTP_REQUESTS.labels(self._service, method, route, str(status)).inc()
            HTTP_SECONDS.labels(self._service, method, route).observe(
                elapsed if elapsed is not None else time.perf_counter() - started
            )


# A client may send any method name: unknown ones share one label.
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
