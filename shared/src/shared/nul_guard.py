"""Refuse text with NUL characters before it reaches a handler: PostgreSQL cannot store them,
so they would end as a 500 (schemathesis found it) instead of a 422 that says why."""

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

REFUSAL = {"detail": "text must not contain NUL characters (\\u0000)"}


def _has_nul(path: str, query: bytes, body: bytes) -> bool:
    return (
        "\x00" in path or b"%00" in query.lower() or b"\x00" in body or b"\\u0000" in body.lower()
    )


class NulGuardMiddleware:
    """Pure ASGI middleware: a request whose path, query or body holds a NUL gets 422."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Read the body (API bodies are small), check it, then hand it on unchanged."""
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        messages: list[Message] = []
        more = True
        while more:
            message = await receive()
            messages.append(message)
            more = message["type"] == "http.request" and message.get("more_body", False)
        body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.request")
        if _has_nul(scope["path"], scope.get("query_string", b""), body):
            payload = json.dumps(REFUSAL).encode()
            await send(
                {
                    "type": "http.response.start",
                    "status": 422,
                    "headers": [(b"content-type", b"application/json")],
                }
            )
            await send({"type": "http.response.body", "body": payload})
            return

        async def replay() -> Message:
            if messages:
                return messages.pop(0)
            return await receive()

        await self._app(scope, replay, send)
