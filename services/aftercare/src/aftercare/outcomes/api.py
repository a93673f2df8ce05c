"""The outcomes report over REST, as JSON or CSV."""

import csv
import io
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from aftercare.outcomes import handlers
from aftercare.outcomes.schemas import Outcomes
from shared.access import Access, allow, forbid_other_branch
from shared.depends import Runtime
from shared.errors import Invalid
from shared.fields import Code
from shared.web import ERROR_RESPONSES

FIELDS = list(Outcomes.model_fields)

ReportReaders = Annotated[Access, allow("coordinator", "clinician", "supervisor")]

# Routes have summaries, not docstrings: FastAPI would publish a docstring in the OpenAPI.
router = APIRouter(tags=["outcomes"], responses=ERROR_RESPONSES)


def _csv(rows: list[Outcomes]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.model_dump().items()})
    return out.getvalue()


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
    output: Annotated[Literal["json", "csv"], Query(alias="format")] = "json",
) -> list[Outcomes] | Response:
    if branch is not None:
        forbid_other_branch(access, branch)
    elif not access.reaches_every_patient and access.role != "supervisor":
        branch = access.branch  # a branch's staff see their own branch's figures
    if period_to < period_from:
        raise Invalid("'to' must not be before 'from'")
    if (period_to - period_from).days > 3 * 366:
        raise Invalid("a period of at most three years, please")
    async with runtime.sessionmaker() as session:
        rows = await handlers.compute(session, period_from, period_to, branch)
    if output == "csv":
        name = f"saathi-outcomes-{period_from.isoformat()}-{period_to.isoformat()}.csv"
        return Response(
            _csv(rows),
            media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    return rows
