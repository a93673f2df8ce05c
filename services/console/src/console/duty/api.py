"""The duty screen and its crises panel (fragments htmx swaps in); the person's own alerts
are `console.mine`'s."""

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from console.auth.depends import Acting, SignedIn
from console.auth.session import Visitor
from console.web.context import ConsoleContext
from console.web.pages import Context, only_for_screen, panel, refusal_of
from console.web.templates import render

router = APIRouter(include_in_schema=False, dependencies=[only_for_screen("duty")])


@router.get("/duty", response_class=HTMLResponse)
async def duty_page(request: Request, visitor: SignedIn) -> HTMLResponse:
    return render(request, "duty/page.html", {})


async def _crises(ctx: ConsoleContext, visitor: Visitor) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for status in ("open", "acknowledged"):
        found += await ctx.upstream.get(visitor, "sessions", "/crises", status=status, limit=100)
    return sorted(found, key=lambda crisis: crisis["flagged_at"], reverse=True)


@router.get("/duty/crises", response_class=HTMLResponse)
async def crises_panel(
    request: Request, ctx: Context, visitor: SignedIn, problem: str | None = None
) -> HTMLResponse:
    return await panel(
        request, "duty/crises.html", lambda: _crises(ctx, visitor), "crises", problem
    )


@router.post("/duty/crises/{crisis_id}/acknowledge", response_class=HTMLResponse)
async def acknowledge_crisis(
    request: Request, crisis_id: str, ctx: Context, visitor: Acting
) -> HTMLResponse:
    body = {"person_id": visitor.subject}
    asked = ctx.upstream.post(visitor, "sessions", f"/crises/{crisis_id}/acknowledge", body)
    return await crises_panel(request, ctx, visitor, await refusal_of(asked))


@router.post("/duty/crises/{crisis_id}/resolve", response_class=HTMLResponse)
async def resolve_crisis(
    request: Request,
    crisis_id: str,
    ctx: Context,
    visitor: Acting,
    resolution: Annotated[str, Form(min_length=1, max_length=1000)],
) -> HTMLResponse:
    body = {"person_id": visitor.subject, "resolution": resolution}
    asked = ctx.upstream.post(visitor, "sessions", f"/crises/{crisis_id}/resolve", body)
    return await crises_panel(request, ctx, visitor, await refusal_of(asked))
