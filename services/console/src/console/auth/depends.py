"""Who is asking, and whether their form carries the session's CSRF token."""

import secrets
from typing import Annotated

from fastapi import Depends, Form, Request

from console.auth.session import SESSION_COOKIE, Visitor
from console.web.context import ConsoleContext, context

CSRF_HEADER = "x-csrf-token"


class SignInRequired(Exception):
    """No valid session: the person must sign in (again)."""

    def __init__(self, back_to: str) -> None:
        super().__init__("sign in required")
        self.back_to = back_to


class CsrfRefused(Exception):
    """A state-changing request without the session's CSRF token."""


def current_visitor(request: Request, ctx: Annotated[ConsoleContext, Depends(context)]) -> Visitor:
    """The signed-in person, or SignInRequired."""
    visitor = ctx.sealer.open_visitor(
        request.cookies.get(SESSION_COOKIE), ctx.settings.session_max_s
    )
    if visitor is None:
        back_to = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInRequired(back_to if request.method == "GET" else "/")
    request.state.visitor = visitor
    return visitor


SignedIn = Annotated[Visitor, Depends(current_visitor)]


async def checked_csrf(
    request: Request, visitor: SignedIn, csrf: Annotated[str | None, Form()] = None
) -> Visitor:
    """The visitor, when the request carries their CSRF token (header or form field)."""
    offered = request.headers.get(CSRF_HEADER) or csrf or ""
    if not secrets.compare_digest(offered.encode(), visitor.csrf.encode()):
        raise CsrfRefused()
    return visitor


Acting = Annotated[Visitor, Depends(checked_csrf)]
