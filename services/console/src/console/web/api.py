"""The home screen, the language switch, health, readiness and metrics."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from console.auth.depends import Acting, SignedIn
from console.web.i18n import LANGUAGE_COOKIE, LANGUAGES
from console.web.pages import Context
from console.web.templates import NAVIGATION, render
from shared.health import metrics_page

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, visitor: SignedIn) -> Response:
    screens = NAVIGATION.get(visitor.role, ())
    if len(screens) == 1:
        return RedirectResponse(f"/{screens[0]}", status_code=303)
    return render(request, "home.html", {})


@router.post("/language")
async def choose_language(
    ctx: Context,
    _: Acting,
    language: Annotated[str, Form(max_length=8)],
    back: Annotated[str, Form(max_length=300)] = "/",
) -> Response:
    target = back if back.startswith("/") and not back.startswith("//") else "/"
    response = RedirectResponse(target, status_code=303)
    if language in LANGUAGES:
        response.set_cookie(
            LANGUAGE_COOKIE,
            language,
            max_age=365 * 86400,
            samesite="lax",
            secure=ctx.settings.cookie_secure,
            httponly=True,
        )
    return response


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok", "service": "console"}


router.add_api_route("/metrics", metrics_page, methods=["GET"])


@router.get("/readyz")
async def readyz(ctx: Context) -> JSONResponse:
    # Ready once the sign-in provider answers; live events are a bonus (screens also poll).
    try:
        await ctx.oidc.metadata()
    except Exception as error:
        body = {"status": "unavailable", "service": "console", "reason": str(error)}
        return JSONResponse(body, status_code=503)
    return JSONResponse({"status": "ok", "service": "console", "live": ctx.hub.connected})
