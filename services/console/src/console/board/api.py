"""The coordinator's board: its page, one fragment per panel (refreshed by htmx on the live
topics that change it) and the review of proposed matches (approve, or reject with a reason)."""

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse

from console.auth.depends import Acting, SignedIn
from console.auth.session import Visitor
from console.board import view
from console.board.loaders import Board
from console.web.context import ConsoleContext
from console.web.pages import Context, only_for_screen, panel
from console.web.templates import render, translator
from console.web.upstream import UpstreamRefused

router = APIRouter(include_in_schema=False, dependencies=[only_for_screen("board")])
BranchFilter = Annotated[str | None, Query(max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*$")]
BranchField = Annotated[str | None, Form(max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*$")]


@router.get("/board", response_class=HTMLResponse)
async def board_page(
    request: Request, ctx: Context, visitor: SignedIn, branch: BranchFilter = None
) -> HTMLResponse:
    chosen = visitor.branch or branch
    branches: list[str] = []
    if visitor.branch is None:
        try:
            branches = view.branches_of(await Board(ctx, visitor, None).mentors())
        except UpstreamRefused:
            branches = []  # the filter is a convenience: the panels still show the network
    query = f"?branch={chosen}" if chosen and not visitor.branch else ""
    values = {"branch": chosen, "branches": branches, "query": query}
    return render(request, "board/page.html", values)


def _panel(
    template: str, name: str, load: Callable[[Board], Awaitable[Any]]
) -> Callable[..., Awaitable[HTMLResponse]]:
    async def show(
        request: Request, ctx: Context, visitor: SignedIn, branch: BranchFilter = None
    ) -> HTMLResponse:
        board = Board(ctx, visitor, branch)
        return await panel(request, template, lambda: load(board), name)

    return show


for path, template, name, load in (
    ("/board/consent", "board/consent.html", "episodes", Board.awaiting_consent),
    ("/board/waitlist", "board/waitlist.html", "waiting", Board.waitlist),
    ("/board/mentors", "board/mentors.html", "mentors", Board.caseloads),
    ("/board/tasks", "board/tasks.html", "tasks", Board.tasks),
    ("/board/today", "board/today.html", "today", Board.schedule),
):
    router.add_api_route(path, _panel(template, name, load), response_class=HTMLResponse)


async def _proposals(
    request: Request,
    ctx: ConsoleContext,
    visitor: Visitor,
    branch: str | None,
    problem: str | None = None,
    notice: str | None = None,
) -> HTMLResponse:
    board = Board(ctx, visitor, branch)
    values: dict[str, Any] = {"problem": problem, "notice": None if problem else notice}
    try:
        values["proposals"] = await board.proposals()
    except UpstreamRefused as refusal:
        values |= {"proposals": [], "problem": refusal.reason, "notice": None}
    values["branch"] = branch if not visitor.branch else None
    return render(request, "board/proposals.html", values)


@router.get("/board/proposals", response_class=HTMLResponse)
async def proposals_panel(
    request: Request, ctx: Context, visitor: SignedIn, branch: BranchFilter = None
) -> HTMLResponse:
    return await _proposals(request, ctx, visitor, branch)


@router.post("/board/proposals/{match_id}/approve", response_class=HTMLResponse)
async def approve(
    request: Request, match_id: str, ctx: Context, visitor: Acting, branch: BranchField = None
) -> HTMLResponse:
    t = translator(request)
    try:
        await ctx.upstream.post(visitor, "matching", f"/matches/{match_id}/approve")
    except UpstreamRefused as refusal:
        return await _proposals(request, ctx, visitor, branch, refusal.reason)
    return await _proposals(request, ctx, visitor, branch, notice=t("board.approved"))


@router.post("/board/proposals/{match_id}/reject", response_class=HTMLResponse)
async def reject(
    request: Request,
    match_id: str,
    ctx: Context,
    visitor: Acting,
    reason: Annotated[str, Form(max_length=1000)] = "",
    branch: BranchField = None,
) -> HTMLResponse:
    t = translator(request)
    why = reason.strip()
    if not why:
        return await _proposals(request, ctx, visitor, branch, t("board.reason_needed"))
    if len(why) > 200:
        return await _proposals(request, ctx, visitor, branch, t("board.reason_too_long"))
    try:
        await ctx.upstream.post(visitor, "matching", f"/matches/{match_id}/reject", {"reason": why})
    except UpstreamRefused as refusal:
        return await _proposals(request, ctx, visitor, branch, refusal.reason)
    return await _proposals(request, ctx, visitor, branch, notice=t("board.rejected"))
