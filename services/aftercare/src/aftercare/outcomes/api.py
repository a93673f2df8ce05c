"""The outcomes report and the aftercare funnel over REST, as JSON or CSV."""

import csv
import io
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel

from aftercare.enrolment.options import EnrolmentOptions
from aftercare.outcomes import handlers
from aftercare.outcomes.domain import months_from
from aftercare.outcomes.schemas import FunnelMonth, Outcomes
from shared.access import Access, allow, forbid_other_branch
from shared.depends import Runtime, options
from shared.errors import Invalid
from shared.fields import Code
from shared.web import ERROR_RESPONSES

ReportReaders = Annotated[Access, allow("coordinator", "clinician", "supervisor")]
Enrolling = Annotated[EnrolmentOptions, options(EnrolmentOptions)]
Output = Annotated[Literal["json", "csv"], Query(alias="format")]
Month = Annotated[
    str,
    Query(pattern=r"^2\d{3}-(0[1-9]|1[0-2])$", description="a calendar month, e.g. 2026-03"),
]
MAX_MONTHS = 36

# Routes have summaries, not docstrings: FastAPI would publish a docstring in the OpenAPI.
router = APIRouter(tags=["outcomes"], responses=ERROR_RESPONSES)


def _scope(access: Access, branch: str | None) -> str | None:
    """The branch the figures are for: the one asked for if the caller reaches it; a branch's
    staff their own branch's; network staff and supervisors every branch."""
    if branch is not None:
        forbid_other_branch(access, branch)
        return branch
    if not access.reaches_every_patient and access.role != "supervisor":
        return access.branch
    return None


def _csv(rows: list[BaseModel], fields: list[str], name: str) -> Response:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.model_dump().items()})
    return Response(
        out.getvalue(),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get(
    "/outcomes",
    response_model=list[Outcomes],
    summary="Outcomes per branch for a period (dates in UTC, both days included)",
    responses={200: {"content": {"text/csv": {}}}},
)
async def report(
    period_from: Annotated[date, Query(alias="from")],
    period_to: Annotated[date, Query(alias="to")],
    access: ReportReaders,
    runtime: Runtime,
    branch: Code | None = None,
    output: Output = "json",
) -> list[Outcomes] | Response:
    branch = _scope(access, branch)
    if period_to < period_from:
        raise Invalid("'to' must not be before 'from'")
    if (period_to - period_from).days > 3 * 366:
        raise Invalid("a period of at most three years, please")
    async with runtime.sessionmaker() as session:
        rows = await handlers.compute(session, period_from, period_to, branch)
    if output == "csv":
        name = f"saathi-outcomes-{period_from.isoformat()}-{period_to.isoformat()}.csv"
        return _csv(list(rows), list(Outcomes.model_fields), name)
    return rows


@router.get(
    "/outcomes/funnel",
    response_model=list[FunnelMonth],
    summary="The aftercare funnel per branch and month of discharge (months in branch time, "
    "both included): discharged, enrolled or waitlisted, first attendance, the 7- and 30-day "
    "follow-ups, readmissions within 30 days",
    responses={200: {"content": {"text/csv": {}}}},
)
async def funnel(
    first: Annotated[Month, Query(alias="from")],
    last: Annotated[Month, Query(alias="to")],
    access: ReportReaders,
    runtime: Runtime,
    enrolling: Enrolling,
    branch: Code | None = None,
    output: Output = "json",
) -> list[FunnelMonth] | Response:
    branch = _scope(access, branch)
    if last < first:
        raise Invalid("'to' must not be before 'from' (months as YYYY-MM)")
    if len(months_from(first, last)) > MAX_MONTHS:
        raise Invalid(f"at most {MAX_MONTHS} months at a time, please")
    async with runtime.sessionmaker() as session:
        rows = await handlers.funnel(session, first, last, enrolling.branch_tz, branch)
    if output == "csv":
        return _csv(list(rows), list(FunnelMonth.model_fields), f"saathi-funnel-{first}-{last}.csv")
    return rows
