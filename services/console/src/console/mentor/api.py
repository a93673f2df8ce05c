"""The mentor's screen and its panels (fragments htmx swaps in), logging a session and
flagging a crisis in one step."""

from functools import partial
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from console.auth.depends import Acting, SignedIn
from console.auth.session import Visitor
from console.mentor import reads, view
from console.web.context import ConsoleContext
from console.web.pages import Context, only_for_screen, panel
from console.web.templates import render
from console.web.upstream import UpstreamRefused

router = APIRouter(include_in_schema=False, dependencies=[only_for_screen("mentor")])


@router.get("/mentor", response_class=HTMLResponse)
async def mentor_page(request: Request, visitor: SignedIn) -> HTMLResponse:
    """The mentor's page: the panels load themselves."""
    return render(request, "mentor/page.html", {})


async def _mentees(
    request: Request, ctx: ConsoleContext, visitor: Visitor, **outcome: Any
) -> HTMLResponse:
    empty: dict[str, Any] = {"matches": [], "crises": {}}
    load = partial(reads.mentees, ctx, visitor)
    return await panel(request, "mentor/mentees.html", load, empty=empty, **outcome)


@router.get("/mentor/mentees", response_class=HTMLResponse)
async def mentees_panel(request: Request, ctx: Context, visitor: SignedIn) -> HTMLResponse:
    """The mentor's mentees, each with their open crisis and the flag form."""
    return await _mentees(request, ctx, visitor)


@router.post("/mentor/crises", response_class=HTMLResponse)
async def flag_crisis(
    request: Request,
    ctx: Context,
    visitor: Acting,
    match_id: Annotated[str, Form()] = "",
    severity: Annotated[str, Form()] = "",
    summary: Annotated[str, Form()] = "",
) -> HTMLResponse:
    """Flag a crisis for a mentee in one step; the panel says who was alerted or why not
    (sessions checks the fields, so a bad one comes back as its reason, never a silent 422)."""
    body = {"match_id": match_id, "severity": severity, "summary": summary.strip() or None}
    try:
        crisis = await ctx.upstream.post(visitor, "sessions", "/crises", body)
    except UpstreamRefused as refusal:
        return await _mentees(request, ctx, visitor, problem=refusal.reason, problem_match=match_id)
    return await _mentees(request, ctx, visitor, flagged=crisis, outcome=view.flag_outcome(crisis))


async def _sessions(
    request: Request, ctx: ConsoleContext, visitor: Visitor, **outcome: Any
) -> HTMLResponse:
    load = partial(reads.week, ctx, visitor)
    return await panel(request, "mentor/sessions.html", load, empty=[], **outcome)


@router.get("/mentor/sessions", response_class=HTMLResponse)
async def sessions_panel(request: Request, ctx: Context, visitor: SignedIn) -> HTMLResponse:
    """This week's sessions and earlier ones still to log."""
    return await _sessions(request, ctx, visitor)


@router.post("/mentor/sessions/{session_id}/log", response_class=HTMLResponse)
async def log_session(
    request: Request,
    session_id: str,
    ctx: Context,
    visitor: Acting,
    attended: Annotated[Literal["yes", "no"], Form()],
    duration_minutes: Annotated[int, Form(ge=0, le=600)],
    note: Annotated[str, Form(max_length=4000)] = "",
) -> HTMLResponse:
    """Log a held (or missed) session with its peer note."""
    body = {
        "attended": attended == "yes",
        "duration_minutes": duration_minutes,
        "note": note.strip() or None,
    }
    try:
        await ctx.upstream.post(visitor, "sessions", f"/sessions/{session_id}/complete", body)
    except UpstreamRefused as refusal:
        return await _sessions(request, ctx, visitor, problem=refusal.reason)
    return await _sessions(request, ctx, visitor, logged=session_id)


@router.get("/mentor/due", response_class=HTMLResponse)
async def due_panel(request: Request, ctx: Context, visitor: SignedIn) -> HTMLResponse:
    """Goals being worked on and questionnaires due within a week."""
    return await panel(request, "mentor/due.html", partial(reads.due, ctx, visitor), empty=[])
