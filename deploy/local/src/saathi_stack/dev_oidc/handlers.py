"""Use cases: sign a person in (an authorization code), and exchange a code for tokens."""

import hmac
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import jwt

from saathi_stack.dev_issuer import ALGORITHM, ISSUER, DevIssuer
from saathi_stack.dev_oidc.domain import (
    PERSON_ID,
    AuthorizationRequest,
    CodeStore,
    Grant,
    pkce_matches,
)
from saathi_stack.dev_oidc.options import DevOidcOptions
from saathi_stack.dev_oidc.people import display_name
from shared.auth import BRANCH_CLAIM, ROLE_CLAIM, ROLES


@dataclass
class Runtime:
    """What the routes share: settings, the signing key, the codes and the clock."""

    options: DevOidcOptions
    issuer: DevIssuer
    codes: CodeStore
    clock: Callable[[], float]


class SignInProblem(Exception):
    """The sign-in form was filled in wrongly (shown on the form again)."""


class TokenProblem(Exception):
    """An RFC 6749 §5.2 error answer of the token endpoint."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error, self.description, self.status = error, description, status


def sign_in(runtime: Runtime, request: AuthorizationRequest, form: Mapping[str, str]) -> str:
    """An authorization code for the person, role and branch chosen on the form."""
    role = form.get("role", "")
    if role not in ROLES:
        raise SignInProblem(f"choose a role: one of {', '.join(sorted(ROLES))}")
    branch = form.get("branch", "")
    if branch and branch not in runtime.options.branches:
        raise SignInProblem(f"{branch!r} is not one of this stack's branches")
    subject = form.get("person_id", "").strip() or form.get("person", "")
    if not PERSON_ID.fullmatch(subject):
        raise SignInProblem(
            "choose who signs in, or type a person id (up to 64 letters, digits, . _ - @)"
        )
    return runtime.codes.issue(request, subject, role, branch or None, runtime.options.code_ttl_s)


def _check_client(runtime: Runtime, form: Mapping[str, str]) -> None:
    client = runtime.options.clients.get(form.get("client_id", ""))
    if client is None:
        raise TokenProblem("invalid_client", "unknown client_id")
    if client.secret is not None and not hmac.compare_digest(
        form.get("client_secret", "").encode(), client.secret.encode()
    ):
        raise TokenProblem("invalid_client", "client_secret is missing or wrong")


def _redeem(runtime: Runtime, form: Mapping[str, str]) -> Grant:
    if form.get("grant_type") != "authorization_code":
        raise TokenProblem(
            "unsupported_grant_type", "only grant_type=authorization_code is supported"
        )
    for name in ("code", "redirect_uri", "client_id", "code_verifier"):
        if not form.get(name):
            raise TokenProblem("invalid_request", f"{name} is required")
    _check_client(runtime, form)
    grant = runtime.codes.redeem(form["code"])
    if grant is None:
        raise TokenProblem("invalid_grant", "the code is unknown, used already or expired")
    if grant.request.client_id != form["client_id"]:
        raise TokenProblem("invalid_grant", "the code was issued to another client")
    if grant.request.redirect_uri != form["redirect_uri"]:
        raise TokenProblem("invalid_grant", "redirect_uri differs from the authorization request's")
    if not pkce_matches(form["code_verifier"], grant.request.code_challenge):
        raise TokenProblem("invalid_grant", "code_verifier does not match the code_challenge")
    return grant


def id_token(runtime: Runtime, grant: Grant) -> str:
    """The OpenID Connect ID token for the grant's person, for the client that asked."""
    now = int(runtime.clock())
    claims: dict[str, object] = {
        "iss": ISSUER,
        "aud": grant.request.client_id,
        "sub": grant.subject,
        "iat": now,
        "exp": now + runtime.options.token_ttl_s,
        "jti": str(uuid.uuid4()),
        "name": display_name(grant.subject),
        ROLE_CLAIM: grant.role,
    }
    if grant.request.nonce:
        claims["nonce"] = grant.request.nonce
    if grant.branch:
        claims[BRANCH_CLAIM] = grant.branch
    issuer = runtime.issuer
    return jwt.encode(claims, issuer.private_pem, algorithm=ALGORITHM, headers={"kid": issuer.kid})


def exchange(runtime: Runtime, form: Mapping[str, str]) -> dict[str, object]:
    """The token answer for an authorization code, or TokenProblem."""
    grant = _redeem(runtime, form)
    ttl_s = runtime.options.token_ttl_s
    return {
        "access_token": runtime.issuer.mint(grant.role, grant.branch, grant.subject, ttl_s),
        "id_token": id_token(runtime, grant),
        "token_type": "Bearer",
        "expires_in": ttl_s,
        "scope": grant.request.scope,
    }
