"""One server-sent event stream per open screen: what happened in the person's reach (to
refresh panels and feed the activity list) and, for staff, their own alerts as notify sends them."""

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from console.auth.depends import SignedIn
from console.auth.session import Visitor
from console.live.hub import LiveEvent
from console.web.context import ConsoleContext
from console.web.i18n import Translator
from console.web.pages import Context
from console.web.templates import TEMPLATES, translator

router = APIRouter(include_in_schema=False)
KEEPALIVE_S = 15.0
ALERT_FIELDS = ("notification_id", "kind", "severity", "title", "branch", "deadline_at")


def frame(event: str, data: str) -> str:
    """One server-sent event (data on one line per line of text)."""
    lines = "".join(f"data: {line}\n" for line in data.splitlines() or [""])
    return f"event: {event}\n{lines}\n"


def activity_frames(event: LiveEvent, t: Translator) -> str:
    """The panel refresh and the activity list entry for one event."""
    item = TEMPLATES.get_template("live/activity.html").render(event=event, t=t)
    return frame(event.topic, event.type) + frame("activity", item)


async def _activity(
    ctx: ConsoleContext, visitor: Visitor, t: Translator, out: asyncio.Queue[str]
) -> None:
    listener = ctx.hub.listen(visitor.branch, visitor.role)
    try:
        while True:
            await out.put(activity_frames(await listener.queue.get(), t))
    finally:
        ctx.hub.leave(listener)


async def _alerts(ctx: ConsoleContext, visitor: Visitor, out: asyncio.Queue[str]) -> None:
    """The person's notifications, relayed from notify's stream (reconnecting if it drops)."""
    url = ctx.upstream.urls["notify"] + "/notifications/stream"
    headers = {"Authorization": f"Bearer {visitor.token}", "Accept": "text/event-stream"}
    while True:
        with contextlib.suppress(Exception):
            async with ctx.upstream.http.stream(
                "GET", url, headers=headers, timeout=None
            ) as answer:
                if answer.status_code != 200:
                    return  # not someone notify alerts (or a refused token): no alerts to relay
                async for line in answer.aiter_lines():
                    if line.startswith("data: "):
                        row = json.loads(line[6:])
                        brief = {key: row.get(key) for key in ALERT_FIELDS}
                        await out.put(frame("alert", json.dumps(brief)))
        await asyncio.sleep(2.0)


async def _stream(request: Request, ctx: ConsoleContext, visitor: Visitor) -> AsyncIterator[str]:
    out: asyncio.Queue[str] = asyncio.Queue(500)
    t = translator(request)
    tasks = [
        asyncio.create_task(_activity(ctx, visitor, t, out)),
        asyncio.create_task(_alerts(ctx, visitor, out)),
    ]
    try:
        yield ": connected\n\n"
        quiet = 0.0
        while not await request.is_disconnected():
            try:  # a short wait, so a closed page is noticed within a second
                yield await asyncio.wait_for(out.get(), 1.0)
                quiet = 0.0
            except TimeoutError:
                quiet += 1.0
                if quiet >= KEEPALIVE_S:
                    quiet = 0.0
                    yield ": keepalive\n\n"
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


@router.get("/live")
async def live(request: Request, ctx: Context, visitor: SignedIn) -> StreamingResponse:
    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    return StreamingResponse(
        _stream(request, ctx, visitor), media_type="text/event-stream", headers=headers
    )
