"""The Ops screen and its panels: dead letters from notify, actions on them, their history."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from console.auth.depends import Acting, SignedIn
from console.web.pages import Context, only_for_screen, panel
from console.web.templates import render, translator
from console.web.upstream import UpstreamRefused

router = APIRouter(include_in_schema=False, dependencies=[only_for_screen("ops")])
ACTED = "ops-acted"  # the htmx event that refreshes the history after an action


@router.get("/ops", response_class=HTMLResponse)
async def ops_page(request: Request, visitor: SignedIn) -> HTMLResponse:
    return render(request, "ops/page.html", {})


async def letters_fragment(
    request: Request,
    ctx: Context,
    visitor: SignedIn,
    problem: str | None = None,
    notice: str | None = None,
) -> HTMLResponse:
    """The dead-letter table, with what just happened or why it did not."""
    values: dict[str, Any] = {"letters": [], "problem": problem, "notice": notice}
    try:
        values["letters"] = await ctx.upstream.get(visitor, "notify", "/dead-letters", limit=200)
    except UpstreamRefused as refusal:
        values["problem"] = problem or refusal.reason
    return render(request, "ops/letters.html", values)


@router.get("/ops/letters", response_class=HTMLResponse)
async def letters_panel(request: Request, ctx: Context, visitor: SignedIn) -> HTMLResponse:
    return await letters_fragment(request, ctx, visitor)


@router.get("/ops/actions", response_class=HTMLResponse)
async def actions_panel(request: Request, ctx: Context, visitor: SignedIn) -> HTMLResponse:
    return await panel(
        request,
        "ops/actions.html",
        lambda: ctx.upstream.get(visitor, "notify", "/dead-letters/actions", limit=100),
        "actions",
    )


@router.post("/ops/letters/{sequence}/{action}", response_class=HTMLResponse)
async def act_on_letter(
    request: Request,
    sequence: int,
    action: Literal["replay", "discard"],
    ctx: Context,
    visitor: Acting,
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> HTMLResponse:
    t = translator(request)
    problem = notice = None
    if not reason.strip():
        problem = t("ops.reason_needed")
    else:
        try:
            done = await ctx.upstream.post(
                visitor, "notify", f"/dead-letters/{sequence}/{action}", {"reason": reason}
            )
            notice = t(f"ops.done.{action}", sequence=t.number(sequence), subject=done["subject"])
        except UpstreamRefused as refusal:
            problem = refusal.reason
    answer = await letters_fragment(request, ctx, visitor, problem, notice)
    if notice:
        answer.headers["HX-Trigger"] = ACTED
    return answer
