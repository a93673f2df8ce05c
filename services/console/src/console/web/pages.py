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
    name: str,
    problem: str | None = None,
) -> HTMLResponse:
    """A panel's fragment: its data, or the reason the service gave for refusing it."""
    try:
        values: dict[str, Any] = {name: await load(), "problem": problem}
    except UpstreamRefused as refusal:
        values = {name: [], "problem": refusal.reason}
    return render(request, template, values)
