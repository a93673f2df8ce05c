"""Sign in (redirect to the provider with PKCE), the callback that opens a session, sign out."""

import asyncio
import secrets
import time
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response

from console.auth import pkce
from console.auth.depends import Acting
from console.auth.oidc import SignInError
from console.auth.session import LOGIN_COOKIE, SESSION_COOKIE, Visitor
from console.web.context import ConsoleContext, context
from console.web.templates import render

router = APIRouter(include_in_schema=False)
Context = Annotated[ConsoleContext, Depends(context)]
LOGIN_MAX_S = 600.0


def _local_path(target: str | None) -> str:
    """Only a path on this console (never another site) is a place to return to."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def redirect_uri(ctx: ConsoleContext) -> str:
    """The callback address registered with the provider."""
    return ctx.settings.public_url.rstrip("/") + "/auth/callback"


def _set_cookie(response: Response, ctx: ConsoleContext, name: str, value: str, path: str) -> None:
    response.set_cookie(
        name,
        value,
        max_age=int(ctx.settings.session_max_s if name == SESSION_COOKIE else LOGIN_MAX_S),
        path=path,
        httponly=True,
        secure=ctx.settings.cookie_secure,
        samesite="lax",  # the provider's redirect back is a top-level GET: Lax lets it through
    )


@router.get("/login")
async def login(request: Request, ctx: Context, next: str | None = None) -> Response:
    state, nonce, verifier = (
        secrets.token_urlsafe(24),
        secrets.token_urlsafe(24),
        pkce.new_verifier(),
    )
    try:
        target = await ctx.oidc.authorization_url(
            redirect_uri(ctx), state, nonce, pkce.challenge(verifier)
        )
    except SignInError as error:
        return render(request, "signin_failed.html", {"reason": str(error)}, status_code=503)
    response = RedirectResponse(target, status_code=303)
    sealed = ctx.sealer.seal(
        {"state": state, "nonce": nonce, "verifier": verifier, "next": _local_path(next)}
    )
    _set_cookie(response, ctx, LOGIN_COOKIE, sealed, "/auth")
    return response


@router.get("/auth/callback")
async def callback(
    request: Request,
    ctx: Context,
    code: Annotated[str | None, Query(max_length=2048)] = None,
    state: Annotated[str | None, Query(max_length=256)] = None,
    error: Annotated[str | None, Query(max_length=256)] = None,
) -> Response:
    pending = ctx.sealer.open(request.cookies.get(LOGIN_COOKIE), LOGIN_MAX_S)
    if error or not code or pending is None or not state or state != pending.get("state"):
        reason = "the sign-in was refused or took too long; please start again"
        return render(request, "signin_failed.html", {"reason": reason}, status_code=400)
    try:
        tokens = await ctx.oidc.exchange(
            code, str(pending["verifier"]), redirect_uri(ctx), str(pending["nonce"])
        )
        verifier = await ctx.token_verifier()  # may fetch the provider's keys: off the loop
        principal = await asyncio.to_thread(verifier.verify, tokens.access_token)
    except SignInError as failure:
        return render(request, "signin_failed.html", {"reason": str(failure)}, status_code=400)
    except Exception:
        reason = "the sign-in gave a token the services do not accept; ask the administrator"
        return render(request, "signin_failed.html", {"reason": reason}, status_code=400)
    expires = min(
        float(tokens.claims.get("exp", 0)) or time.time() + ctx.settings.session_max_s,
        time.time() + ctx.settings.session_max_s,
    )
    visitor = Visitor(
        subject=principal.subject,
        role=principal.role,
        branch=principal.branch,
        name=str(tokens.claims.get("name") or principal.subject),
        token=tokens.access_token,
        csrf=secrets.token_urlsafe(32),
        expires_at=expires,
    )
    response = RedirectResponse(_local_path(str(pending.get("next"))), status_code=303)
    _set_cookie(response, ctx, SESSION_COOKIE, ctx.sealer.seal_visitor(visitor), "/")
    response.delete_cookie(LOGIN_COOKIE, path="/auth")
    return response


@router.post("/logout")
async def logout(_: Acting) -> Response:
    response = RedirectResponse("/signed-out", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/signed-out")
async def signed_out(request: Request) -> Response:
    return render(request, "signed_out.html", {})
