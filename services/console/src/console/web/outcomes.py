"""A panel re-rendered after an action: its fresh data plus what the action came to (a
confirmation or the service's reason), shown together in one fragment."""

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from console.web.templates import render
from console.web.upstream import UpstreamRefused


async def fragment(
    request: Request,
    template: str,
    load: Callable[[], Awaitable[Any]],
    empty: Any,
    **outcome: Any,
) -> HTMLResponse:
    """The panel's data as `data` (or `empty` and the service's reason as `problem` when the
    read is refused), with the action's `outcome` values; an action's own problem comes first."""
    values = dict(outcome)
    try:
        values["data"] = await load()
    except UpstreamRefused as refusal:
        values["data"] = empty
        values["problem"] = values.get("problem") or refusal.reason
    return render(request, template, values)
