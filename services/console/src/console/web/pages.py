"""What every screen's routes share: the context, the role guard, and a panel that shows the
service's reason instead of its data when a call is refused."""

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse

from console.auth.depends import current_visitor
from console.auth.session import Visitor
from console.web.context import ConsoleContext, context
from console.web.templates import NAVIGATION, render
from console.web.upstream import UpstreamRefused

Context = Annotated[ConsoleContext, Depends(context)]


class NotYours(Exception):
    """A screen that is not for the visitor's role."""


def only_for_screen(screen: str) -> Any:
    """A router dependency: only roles whose navigation holds `screen` may open it."""

    def allowed(visitor: Annotated[Visitor, Depends(current_visitor)]) -> None:
        if screen not in NAVIGATION.get(visitor.role, ()):
            raise NotYours()

    return Depends(allowed)


async def panel(
    request: Request,
    template: str,
    load: Callable[[], Awaitable[Any]],
    name: str = "data",
    problem: str | None = None,
    *,
    empty: Any = None,
    **outcome: Any,
) -> HTMLResponse:
    """A panel's fragment: its data as `name` (or `empty`, default `[]`, and the service's
    reason as `problem` when the read is refused), with what an action came to (`outcome`
    values); an action's own problem comes first."""
    values: dict[str, Any] = {**outcome, "problem": problem}
    try:
        values[name] = await load()
    except UpstreamRefused as refusal:
        values[name] = [] if empty is None else empty
        values["problem"] = problem or refusal.reason
    return render(request, template, values)


async def refusal_of(call: Awaitable[Any]) -> str | None:
    """None when the service did what was asked, else its reason (for the panel to show)."""
    try:
        await call
    except UpstreamRefused as refusal:
        return refusal.reason
    return None
