"""A server span per HTTP request, continuing the caller's W3C trace context if it sent one."""

from opentelemetry import trace
from starlette.types import ASGIApp, Receive, Scope, Send

from shared.http_metrics import UNMATCHED, route_template
from shared.tracing import context_from_headers, tracer


class TracingMiddleware:
    """Pure ASGI middleware: events staged while handling the request carry this trace."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Wrap HTTP requests in a span named by method and route template (no ids)."""
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        headers = {
            key.decode("latin-1"): value.decode("latin-1") for key, value in scope["headers"]
        }
        resource = "/" + scope["path"].strip("/").split("/", 1)[0]
        with tracer().start_as_current_span(
            f"{scope['method']} {resource}",
            context=context_from_headers(headers),
            kind=trace.SpanKind.SERVER,
            attributes={"http.request.method": scope["method"], "url.path": resource},
        ) as span:
            try:
                await self._app(scope, receive, send)
            finally:
                # Once routed, the template names the span better than the first segment.
                route = route_template(scope)
                if route != UNMATCHED:
                    span.update_name(f"{scope['method']} {route}")
                    span.set_attribute("http.route", route)
