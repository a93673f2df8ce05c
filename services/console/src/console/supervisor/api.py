"""The supervisor's screen and its panels: their mentors, notes to review (marking one read),
wellbeing checks and supervision meetings."""

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from console.auth.depends import Acting, SignedIn
from console.auth.session import Visitor
from console.supervisor import reads
from console.web.context import ConsoleContext
from console.web.pages import Context, only_for_screen, panel
from console.web.templates import render
from console.web.upstream import UpstreamRefused

router = APIRouter(include_in_schema=False, dependencies=[only_for_screen("supervisor")])
MentorField = Annotated[str, Form(min_length=1, max_length=64)]


@router.get("/supervisor", response_class=HTMLResponse)
async def supervisor_page(request: Request, visitor: SignedIn) -> HTMLResponse:
    """The supervisor's page: the panels load themselves."""
    return render(request, "supervisor/page.html", {})


@router.get("/supervisor/mentors", response_class=HTMLResponse)
async def mentors_panel(request: Request, ctx: Context, visitor: SignedIn) -> HTMLResponse:
    """The mentors overseen, with load, wellbeing and certification."""
    load = partial(reads.mentors, ctx, visitor)
    return await panel(request, "supervisor/mentors.html", load, empty=[])


async def _notes(
    request: Request, ctx: ConsoleContext, visitor: Visitor, **outcome: Any
) -> HTMLResponse:
    load = partial(reads.notes, ctx, visitor)
    return await panel(request, "supervisor/notes.html", load, empty=[], **outcome)


@router.get("/supervisor/notes", response_class=HTMLResponse)
async def notes_panel(request: Request, ctx: Context, visitor: SignedIn) -> HTMLResponse:
    """Peer notes waiting to be read."""
    return await _notes(request, ctx, visitor)


@router.post("/supervisor/notes/{session_id}/read", response_class=HTMLResponse)
async def mark_read(
    request: Request, session_id: str, ctx: Context, visitor: Acting
) -> HTMLResponse:
    """The supervisor has read a peer note."""
    body = {"supervisor_id": visitor.subject}
    try:
        await ctx.upstream.post(visitor, "sessions", f"/sessions/{session_id}/note-review", body)
    except UpstreamRefused as refusal:
        return await _notes(request, ctx, visitor, problem=refusal.reason)
    return await _notes(request, ctx, visitor, read=session_id)


async def _wellbeing(
    request: Request, ctx: ConsoleContext, visitor: Visitor, **outcome: Any
) -> HTMLResponse:
    load = partial(reads.mentors, ctx, visitor)
    return await panel(request, "supervisor/wellbeing.html", load, empty=[], **outcome)


@router.get("/supervisor/wellbeing", response_class=HTMLResponse)
async def wellbeing_panel(request: Request, ctx: Context, visitor: SignedIn) -> HTMLResponse:
    """Who needs support, and the form to record a wellbeing check."""
    return await _wellbeing(request, ctx, visitor)


@router.post("/supervisor/wellbeing", response_class=HTMLResponse)
async def record_wellbeing(
    request: Request,
    ctx: Context,
    visitor: Acting,
    mentor_id: MentorField,
    score: Annotated[int, Form(ge=1, le=5)],
    wants_support: Annotated[bool, Form()] = False,
    note: Annotated[str, Form(max_length=1000)] = "",
) -> HTMLResponse:
    """Record how a mentor is doing."""
    body = {"score": score, "wants_support": wants_support, "note": note.strip() or None}
    try:
        await ctx.upstream.post(visitor, "sessions", f"/mentors/{mentor_id}/wellbeing-checks", body)
    except UpstreamRefused as refusal:
        return await _wellbeing(request, ctx, visitor, problem=refusal.reason)
    return await _wellbeing(request, ctx, visitor, recorded=mentor_id)


async def _meetings(
    request: Request, ctx: ConsoleContext, visitor: Visitor, **outcome: Any
) -> HTMLResponse:
    load = partial(reads.mentors, ctx, visitor)
    return await panel(request, "supervisor/meetings.html", load, empty=[], **outcome)


@router.get("/supervisor/meetings", response_class=HTMLResponse)
async def meetings_panel(request: Request, ctx: Context, visitor: SignedIn) -> HTMLResponse:
    """The form to log a supervision meeting."""
    return await _meetings(request, ctx, visitor)


@router.post("/supervisor/meetings", response_class=HTMLResponse)
async def log_meeting(
    request: Request,
    ctx: Context,
    visitor: Acting,
    mentor_id: MentorField,
    minutes: Annotated[int, Form(ge=5, le=480)],
    notes: Annotated[str, Form(max_length=2000)] = "",
) -> HTMLResponse:
    """Log a supervision meeting with a mentor."""
    body = {
        "supervisor_id": visitor.subject,
        "mentor_id": mentor_id,
        "minutes": minutes,
        "notes": notes.strip() or None,
    }
    try:
        meeting = await ctx.upstream.post(visitor, "sessions", "/supervision-meetings", body)
    except UpstreamRefused as refusal:
        return await _meetings(request, ctx, visitor, problem=refusal.reason)
    return await _meetings(request, ctx, visitor, logged=meeting)
