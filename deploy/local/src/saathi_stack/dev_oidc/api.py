"""The routes: discovery, keys, the sign-in page and form, the token endpoint, probes."""

import json
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from saathi_stack.dev_issuer import ALGORITHM, ISSUER
from saathi_stack.dev_oidc import handlers, pages
from saathi_stack.dev_oidc.domain import (
    ClientProblem,
    RequestProblem,
    check_request,
    may_return_to,
)
from saathi_stack.dev_oidc.handlers import Runtime, SignInProblem, TokenProblem
from saathi_stack.dev_oidc.people import people_by_role

SERVICE = "dev-oidc"
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
router = APIRouter()


def _runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def _redirect(redirect_uri: str, params: dict[str, str]) -> RedirectResponse:
    separator = "&" if "?" in redirect_uri else "?"
    kept = {name: value for name, value in params.items() if value}
    return RedirectResponse(f"{redirect_uri}{separator}{urlencode(kept)}", status_code=303)


@router.get("/.well-known/openid-configuration")
def discovery(request: Request) -> dict[str, object]:
    """Where the endpoints are and what this issuer supports."""
    base = _runtime(request).options.public_url
    return {
        "issuer": ISSUER,
        "authorization_endpoint": f"{base}/authorize",
        "token_endpoint": f"{base}/token",
        "jwks_uri": f"{base}/jwks",
        "end_session_endpoint": f"{base}/logout",
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code"],
        "subject_types_supported": ["public"],
        "scopes_supported": ["openid", "profile"],
        "code_challenge_methods_supported": ["S256"],
        "id_token_signing_alg_values_supported": [ALGORITHM],
        "token_endpoint_auth_methods_supported": ["none", "client_secret_post"],
        "claims_supported": ["sub", "name", "nonce", "saathi_role", "saathi_branch"],
    }


@router.get("/jwks")
def jwks(request: Request) -> Response:
    """The public keys that verify this issuer's tokens."""
    return JSONResponse(json.loads(_runtime(request).issuer.jwks_path.read_text()))


def _authorize(request: Request, params: dict[str, str]) -> Response:
    runtime = _runtime(request)
    try:
        accepted = check_request(runtime.options.clients, params)
    except ClientProblem as problem:
        return pages.error_page(str(problem))
    except RequestProblem as problem:
        return _redirect(
            params["redirect_uri"],
            {
                "error": problem.error,
                "error_description": problem.description,
                "state": params.get("state", ""),
            },
        )
    if request.method == "GET":
        return pages.sign_in_page(accepted.fields(), people_by_role(), runtime.options.branches, {})
    try:
        code = handlers.sign_in(runtime, accepted, params)
    except SignInProblem as problem:
        return pages.sign_in_page(
            accepted.fields(), people_by_role(), runtime.options.branches, params, str(problem)
        )
    return _redirect(accepted.redirect_uri, {"code": code, "state": accepted.state})


@router.get("/authorize", response_class=HTMLResponse)
def authorize_page(request: Request) -> Response:
    """The development sign-in page (or an error page for an unknown client or redirect)."""
    return _authorize(request, dict(request.query_params))


@router.post("/authorize", response_class=HTMLResponse)
async def authorize_form(request: Request) -> Response:
    """The sign-in form: a code sent back to the client's redirect URI (303)."""
    form = await request.form()
    return _authorize(request, {name: str(value) for name, value in form.items()})


@router.post("/token")
async def token(request: Request) -> Response:
    """Exchange an authorization code and its PKCE verifier for an access and an ID token."""
    form = await request.form()
    try:
        answer = handlers.exchange(_runtime(request), {k: str(v) for k, v in form.items()})
    except TokenProblem as problem:
        body = {"error": problem.error, "error_description": problem.description}
        return JSONResponse(body, status_code=problem.status, headers=NO_STORE)
    return JSONResponse(answer, headers=NO_STORE)


@router.get("/logout", response_class=HTMLResponse)
def logout(request: Request, post_logout_redirect_uri: str = "", state: str = "") -> Response:
    """Sign-out: no session is kept here, so the browser goes back to the client's origin
    (only a registered one) or sees a signed-out page."""
    if post_logout_redirect_uri and may_return_to(
        _runtime(request).options.clients, post_logout_redirect_uri
    ):
        return _redirect(post_logout_redirect_uri, {"state": state})
    return pages.signed_out_page()


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """Alive."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz() -> dict[str, str]:
    """Ready: it needs nothing but its key, loaded at start."""
    return {"status": "ok", "service": SERVICE}
