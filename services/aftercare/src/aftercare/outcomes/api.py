"""The outcomes report over REST, as JSON or CSV."""

import csv
import io
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from aftercare import outcomes
from shared.access import Access, allow, forbid_other_branch
from shared.errors import Invalid
from shared.fields import Code
from shared.runtime import ServiceRuntime
from shared.web import ERROR_RESPONSES

FIELDS = list(outcomes.Outcomes.model_fields)


def _csv(rows: list[outcomes.Outcomes]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.model_dump().items()})
    return out.getvalue()


REPORT_READERS = allow("coordinator", "clinician", "supervisor")


def build_outcomes_router(runtime: ServiceRuntime) -> APIRouter:
    """The outcomes route."""
    router = APIRouter(tags=["outcomes"], responses=ERROR_RESPONSES)

    @router.get(
        "/outcomes",
        response_model=list[outcomes.Outcomes],
        summary="Outcomes per branch for a period (dates in UTC, both days included)",
        responses={200: {"content": {"text/csv": {}}}},
    )
    async def report(
        period_from: Annotated[date, Query(alias="from")],
        period_to: Annotated[date, Query(alias="to")],
        branch: Code | None = None,
        output: Literal["json", "csv"] = Query("json", alias="format"),
        access: Access = REPORT_READERS,
    ) -> list[outcomes.Outcomes] | Response:
        if branch is not None:
            forbid_other_branch(access, branch)
        elif not access.reaches_every_patient and access.role != "supervisor":
            branch = access.branch  # a branch's staff see their own branch's figures
        if period_to < period_from:
            raise Invalid("'to' must not be before 'from'")
        if (period_to - period_from).days > 3 * 366:
            raise Invalid("a period of at most three years, please")
        async with runtime.sessionmaker() as session:
            rows = await outcomes.compute(session, period_from, period_to, branch)
        if output == "csv":
            name = f"saathi-outcomes-{period_from.isoformat()}-{period_to.isoformat()}.csv"
            return Response(
                _csv(rows),
                media_type="text/csv",
                headers={"Content-Disposition": f'attachment; filename="{name}"'},
            )
        return rows

    return router
