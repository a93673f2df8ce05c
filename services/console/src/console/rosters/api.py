"""The duty rosters screen: pick a branch (coordinators of one branch have theirs), see its
shifts and who is on duty now, change them; the sessions API refuses a roster that leaves an
hour uncovered and says which."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from console.auth.depends import Acting, SignedIn
from console.auth.session import Visitor
from console.rosters.form import DAYS, RosterFormProblem, chain_text, shifts_from_form
from console.web.pages import Context, only_for_screen
from console.web.templates import render, translator
from console.web.upstream import UpstreamRefused

router = APIRouter(include_in_schema=False, dependencies=[only_for_screen("rosters")])
Branch = Annotated[str | None, Query(max_length=64, pattern=r"^[A-Za-z0-9_.:-]*$")]


def branch_for(visitor: Visitor, asked: str | None) -> str | None:
    """A branch coordinator's own branch; a network coordinator's choice."""
    return visitor.branch or (asked or None)


@router.get("/rosters", response_class=HTMLResponse)
async def rosters_page(request: Request, visitor: SignedIn, branch: Branch = None) -> HTMLResponse:
    return render(request, "rosters/page.html", {"branch": branch_for(visitor, branch)})


async def _panel(
    request: Request, ctx: Context, visitor: Visitor, branch: str, values: dict[str, Any]
) -> HTMLResponse:
    roster, problem = None, values.pop("problem", None)
    try:
        roster = await ctx.upstream.get(visitor, "sessions", f"/duty-rosters/{branch}")
    except UpstreamRefused as refusal:
        if refusal.status != 404:
            problem = problem or refusal.reason
    shifts = roster["shifts"] if roster else []
    rows = [{**shift, "chain_text": chain_text(shift["chain"])} for shift in shifts]
    page = {"branch": branch, "roster": roster, "rows": rows, "days": DAYS, "problem": problem}
    return render(request, "rosters/panel.html", page | values)


@router.get("/rosters/{branch}", response_class=HTMLResponse)
async def roster_panel(
    request: Request, branch: str, ctx: Context, visitor: SignedIn
) -> HTMLResponse:
    return await _panel(request, ctx, visitor, branch, {})


@router.post("/rosters/{branch}", response_class=HTMLResponse)
async def save_roster(request: Request, branch: str, ctx: Context, visitor: Acting) -> HTMLResponse:
    form = await request.form()
    fields = {key: [str(value) for value in form.getlist(key)] for key in form}
    t = translator(request)
    try:
        body: dict[str, Any] = {"shifts": shifts_from_form(fields)}
        zone = fields.get("time_zone", [""])[0].strip()
        if zone:
            body["time_zone"] = zone
        await ctx.upstream.call(visitor, "PUT", "sessions", f"/duty-rosters/{branch}", json=body)
    except RosterFormProblem as problem:
        return await _panel(
            request, ctx, visitor, branch, {"problem": t(problem.key, **problem.values)}
        )
    except UpstreamRefused as refusal:
        return await _panel(request, ctx, visitor, branch, {"problem": refusal.reason})
    return await _panel(request, ctx, visitor, branch, {"saved": True})
