"""How the console answers what goes wrong: back to sign-in, a refused form, a closed screen."""

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console.auth.depends import CsrfRefused, SignInRequired
from console.web.pages import NotYours
from console.web.templates import render, translator
from console.web.upstream import TokenExpired


def _to_sign_in(request: Request, back_to: str) -> Response:
    target = f"/login?next={quote(back_to, safe='/')}"
    if request.headers.get("hx-request"):  # htmx: the whole page goes to sign-in
        return Response(status_code=401, headers={"HX-Redirect": target})
    if request.method == "GET" and request.url.path != "/live":
        return RedirectResponse(target, status_code=303)
    return HTMLResponse(translator(request)("signin.required"), status_code=401)


def install_error_pages(app: FastAPI) -> None:
    """Register the console's answers to sign-in, CSRF, role and expired-token problems."""

    @app.exception_handler(SignInRequired)
    async def sign_in(request: Request, error: SignInRequired) -> Response:
        return _to_sign_in(request, error.back_to)

    @app.exception_handler(TokenExpired)
    async def expired(request: Request, _: TokenExpired) -> Response:
        return _to_sign_in(request, request.url.path if request.method == "GET" else "/")

    @app.exception_handler(CsrfRefused)
    async def csrf(request: Request, _: CsrfRefused) -> Response:
        reason = translator(request)("common.csrf_refused")
        return render(request, "problem.html", {"reason": reason}, status_code=403)

    @app.exception_handler(NotYours)
    async def not_yours(request: Request, _: NotYours) -> Response:
        reason = translator(request)("common.not_your_screen")
        return render(request, "problem_page.html", {"reason": reason}, status_code=403)
