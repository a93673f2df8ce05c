"""The aftercare screen, its chart panels (fragments htmx swaps in) and the CSV behind each."""

from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from console.aftercare import charts, csv_export, view
from console.auth.depends import SignedIn
from console.auth.session import Visitor
from console.web.context import ConsoleContext
from console.web.pages import Context, only_for_screen, panel
from console.web.templates import render, translator
from console.web.upstream import UpstreamRefused

router = APIRouter(include_in_schema=False, dependencies=[only_for_screen("aftercare")])
Rows = list[dict[str, Any]]


def _choice(ctx: ConsoleContext, month: str | None, branch: str | None) -> view.Choice:
    today = datetime.now(ZoneInfo(ctx.settings.branch_timezone)).date()
    return view.choose(month, branch, today)


async def _funnel(
    ctx: ConsoleContext, visitor: Visitor, months: list[str], branch: str | None
) -> Rows:
    """Aftercare's funnel rows for the months (the service decides which branches we reach)."""
    params = {"from": months[0], "to": months[-1], "branch": branch}
    return list(await ctx.upstream.get(visitor, "aftercare", "/outcomes/funnel", **params))


async def _branches(ctx: ConsoleContext, visitor: Visitor, choice: view.Choice) -> list[str]:
    """The branches a network coordinator can pick: those with discharges in the window."""
    if visitor.branch is not None:
        return []
    try:
        rows = await _funnel(ctx, visitor, choice.months, None)
    except UpstreamRefused:
        return []
    found = {str(row["branch"]) for row in rows}
    return sorted(found | {choice.branch} if choice.branch else found)


@router.get("/aftercare", response_class=HTMLResponse)
async def aftercare_page(
    request: Request,
    ctx: Context,
    visitor: SignedIn,
    month: str | None = None,
    branch: str | None = None,
) -> HTMLResponse:
    try:
        choice = _choice(ctx, month, branch)
    except view.BadChoice as bad:
        return render(request, "problem_page.html", {"reason": str(bad)}, status_code=400)
    values = {"choice": choice, "branches": await _branches(ctx, visitor, choice)}
    return render(request, "aftercare/page.html", values)


def _figure(
    chart: str,
    request: Request,
    ctx: ConsoleContext,
    visitor: Visitor,
    month: str | None,
    branch: str | None,
) -> Callable[[], Any]:
    """A panel's loader: the choice checked, the rows fetched, the chart shaped."""

    async def load() -> dict[str, Any]:
        try:
            choice = _choice(ctx, month, branch)
        except view.BadChoice as bad:
            raise UpstreamRefused(400, str(bad)) from None
        rows = await _funnel(ctx, visitor, _months_of(chart, choice), choice.branch)
        return {
            "choice": choice,
            "f": view.Figures(translator(request)),
            **SHAPES[chart](rows, choice),
        }

    return load


def _funnel_chart(rows: Rows, choice: view.Choice) -> dict[str, Any]:
    total = view.summed(rows, choice.month, choice.branch_column)
    series = [(step, total[step]) for step in view.FUNNEL_STEPS]
    return {"total": total, "chart": charts.horizontal([("", series)])}


def _months_chart(rows: Rows, choice: view.Choice) -> dict[str, Any]:
    months = view.by_month(rows, choice)
    groups = [(m["month"], [(key, m[key]) for key in view.MONTH_SERIES]) for m in months]
    return {"months": months, "chart": charts.vertical(groups)}


def _branches_chart(rows: Rows, choice: view.Choice) -> dict[str, Any]:
    branches = view.by_branch(rows, choice)
    groups = [(b["branch"], [(key, b[key]) for key in view.BRANCH_STEPS]) for b in branches]
    return {"branches": branches, "chart": charts.horizontal(groups)}


Chart = Literal["funnel", "months", "branches"]
SHAPES: dict[str, Callable[[Rows, view.Choice], dict[str, Any]]] = {
    "funnel": _funnel_chart,
    "months": _months_chart,
    "branches": _branches_chart,
}


def _months_of(chart: str, choice: view.Choice) -> list[str]:
    """The months a chart draws: the window for month by month, else the chosen month."""
    return choice.months if chart == "months" else [choice.month]


def _csv_rows(chart: str, rows: Rows, choice: view.Choice) -> Rows:
    """A chart's own numbers, one row per bar group."""
    if chart == "funnel":
        return [view.summed(rows, choice.month, choice.branch_column)]
    return view.by_month(rows, choice) if chart == "months" else view.by_branch(rows, choice)


@router.get("/aftercare/{chart}.csv")
async def chart_csv(
    chart: Chart,
    ctx: Context,
    visitor: SignedIn,
    month: str | None = None,
    branch: str | None = None,
) -> Response:
    try:
        choice = _choice(ctx, month, branch)
        rows = await _funnel(ctx, visitor, _months_of(chart, choice), choice.branch)
    except view.BadChoice as bad:
        return PlainTextResponse(str(bad), status_code=400)
    except UpstreamRefused as refusal:
        return PlainTextResponse(refusal.reason, status_code=refusal.status)
    name = csv_export.filename(chart, choice)
    return Response(
        csv_export.to_csv(_csv_rows(chart, rows, choice)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/aftercare/{chart}", response_class=HTMLResponse)
async def chart_panel(
    request: Request,
    chart: Chart,
    ctx: Context,
    visitor: SignedIn,
    month: str | None = None,
    branch: str | None = None,
) -> HTMLResponse:
    load = _figure(chart, request, ctx, visitor, month, branch)
    return await panel(request, f"aftercare/{chart}.html", load, "figure")
