"""A panel re-rendered after an action: its fresh data plus what the action came to (a
confirmation or the service's reason), shown together in one fragment."""

from collections.abc import Awaitable, Callable
from datetime import date
from functools import partial
from typing import Any

from babel.dates import format_date
from fastapi import Request
from fastapi.responses import HTMLResponse

from console.web.templates import render, translator
from console.web.upstream import UpstreamRefused


async def fragment(
    request: Request,
    template: str,
    load: Callable[[], Awaitable[Any]],
    empty: Any,
    **outcome: Any,
) -> HTMLResponse:
    """The panel's data as `data` (or `empty` and the service's reason as `problem` when the
    read is refused), with the action's `outcome` values; an action's own problem comes first.
    Templates also get `day(value)`: a calendar date in the person's language."""
    values = {**outcome, "day": partial(day, translator(request).language)}
    try:
        values["data"] = await load()
    except UpstreamRefused as refusal:
        values["data"] = empty
        values["problem"] = values.get("problem") or refusal.reason
    return render(request, template, values)


def day(language: str, value: date | str | None) -> str:
    """A calendar date (no time, no zone: a target or expiry day) in the language's words and
    digits."""
    if value is None or value == "":
        return "—"
    found = date.fromisoformat(value) if isinstance(value, str) else value
    return format_date(found, "medium", locale=language)
