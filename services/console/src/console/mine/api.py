"""My alerts: the person's open notifications, and acknowledging one (any role: notify lets
each person read and acknowledge only their own)."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from console.auth.depends import Acting, SignedIn
from console.auth.session import Visitor
from console.web.context import ConsoleContext
from console.web.pages import Context, panel, refusal_of

router = APIRouter(include_in_schema=False)
OPEN_STATES = ("queued", "sent", "delivered", "failed")


async def _my_alerts(ctx: ConsoleContext, visitor: Visitor) -> list[dict[str, Any]]:
    rows = await ctx.upstream.get(
        visitor, "notify", f"/people/{visitor.subject}/notifications", limit=50
    )
    return [row for row in rows if row["state"] in OPEN_STATES]


@router.get("/my/alerts", response_class=HTMLResponse)
async def alerts_panel(
    request: Request, ctx: Context, visitor: SignedIn, problem: str | None = None
) -> HTMLResponse:
    return await panel(
        request, "mine/alerts.html", lambda: _my_alerts(ctx, visitor), "alerts", problem
    )


@router.post("/my/alerts/{notification_id}/acknowledge", response_class=HTMLResponse)
async def acknowledge_alert(
    request: Request, notification_id: str, ctx: Context, visitor: Acting
) -> HTMLResponse:
    asked = ctx.upstream.post(visitor, "notify", f"/notifications/{notification_id}/acknowledge")
    return await alerts_panel(request, ctx, visitor, await refusal_of(asked))
