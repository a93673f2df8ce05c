"""The alerts screen: notifications in the coordinator's reach, filtered by state and kind,
counted by state, acknowledged on someone's behalf when needed."""

from collections import Counter
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from console.auth.depends import Acting, SignedIn
from console.web.pages import Context, only_for_screen, refusal_of
from console.web.templates import render
from console.web.upstream import UpstreamRefused

router = APIRouter(include_in_schema=False, dependencies=[only_for_screen("alerts")])
STATES = ("queued", "sent", "delivered", "failed", "acknowledged", "closed")
KINDS = (
    "crisis",
    "proposal",
    "coordinator_task",
    "outreach",
    "certification",
    "supervision",
    "wellbeing",
    "dead_letter",
)
Filter = Annotated[str | None, Query(max_length=32, pattern=r"^[a-z_]*$")]


@router.get("/alerts", response_class=HTMLResponse)
async def alerts_page(
    request: Request, visitor: SignedIn, state: Filter = None, kind: Filter = None
) -> HTMLResponse:
    chosen = {"state": state or "", "kind": kind or ""}
    return render(request, "alerts/page.html", {"states": STATES, "kinds": KINDS, "chosen": chosen})


@router.get("/alerts/list", response_class=HTMLResponse)
async def alerts_list(
    request: Request,
    ctx: Context,
    visitor: SignedIn,
    state: Filter = None,
    kind: Filter = None,
    problem: str | None = None,
) -> HTMLResponse:
    rows: list[dict[str, Any]] = []
    try:
        rows = await ctx.upstream.get(
            visitor, "notify", "/notifications", state=state or None, kind=kind or None, limit=200
        )
    except UpstreamRefused as refusal:
        problem = problem or refusal.reason
    counts = Counter(row["state"] for row in rows)
    values = {"rows": rows, "counts": counts, "states": STATES, "problem": problem}
    return render(request, "alerts/list.html", values)


@router.post("/alerts/{notification_id}/acknowledge", response_class=HTMLResponse)
async def acknowledge_for(
    request: Request, notification_id: str, ctx: Context, visitor: Acting
) -> HTMLResponse:
    asked = ctx.upstream.post(visitor, "notify", f"/notifications/{notification_id}/acknowledge")
    return await alerts_list(request, ctx, visitor, problem=await refusal_of(asked))
