"""Pure rules of the code flow: the PKCE check (RFC 7636), what makes an authorization
request acceptable, and single-use authorization codes that expire."""

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from saathi_stack.dev_oidc.options import Client

# RFC 7636 §4.1: 43 to 128 unreserved characters; a S256 challenge is 43 base64url characters.
VERIFIER = re.compile(r"^[A-Za-z0-9._~-]{43,128}$")
CHALLENGE = re.compile(r"^[A-Za-z0-9_-]{43}$")
PERSON_ID = re.compile(r"^[A-Za-z0-9._@-]{1,64}$")


def s256(code_verifier: str) -> str:
    """BASE64URL(SHA256(ASCII(code_verifier))) without padding: the S256 challenge."""
    digest = hashlib.sha256(code_verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def pkce_matches(code_verifier: str, code_challenge: str) -> bool:
    """True when the verifier is well formed and hashes to the challenge (S256)."""
    if not VERIFIER.fullmatch(code_verifier):
        return False
    return hmac.compare_digest(s256(code_verifier), code_challenge)


class ClientProblem(Exception):
    """The client or its redirect URI is not registered: answer with a page, never redirect."""


class RequestProblem(Exception):
    """A flaw the client must fix, told back to its (checked) redirect URI."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.error, self.description = error, description


@dataclass(frozen=True)
class AuthorizationRequest:
    """An accepted `/authorize` request: the parameters the sign-in form carries along."""

    client_id: str
    redirect_uri: str
    state: str
    nonce: str
    code_challenge: str
    scope: str = "openid"

    def fields(self) -> dict[str, str]:
        """The parameters as form fields (OAuth names)."""
        return {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "scope": self.scope,
            "state": self.state,
            "nonce": self.nonce,
            "code_challenge": self.code_challenge,
            "code_challenge_method": "S256",
        }


def registered_client(clients: Mapping[str, Client], client_id: str, redirect_uri: str) -> Client:
    """The client, if it is known and `redirect_uri` is exactly one of its URIs."""
    client = clients.get(client_id)
    if client is None:
        raise ClientProblem(f"no client is registered as {client_id!r}")
    if redirect_uri not in client.redirect_uris:
        raise ClientProblem(
            f"{redirect_uri!r} is not a redirect URI registered for {client_id!r} "
            "(set SAATHI_OIDC_REDIRECT_URIS)"
        )
    return client


def may_return_to(clients: Mapping[str, Client], uri: str) -> bool:
    """True when `uri` (after sign-out) is on the origin of a registered redirect URI."""
    parts = urlsplit(uri)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return False
    return any(
        (urlsplit(known).scheme, urlsplit(known).netloc) == (parts.scheme, parts.netloc)
        for client in clients.values()
        for known in client.redirect_uris
    )


def check_request(clients: Mapping[str, Client], params: Mapping[str, str]) -> AuthorizationRequest:
    """The request, or ClientProblem (show a page) or RequestProblem (redirect with an error)."""
    client_id, redirect_uri = params.get("client_id", ""), params.get("redirect_uri", "")
    registered_client(clients, client_id, redirect_uri)
    if params.get("response_type") != "code":
        raise RequestProblem("unsupported_response_type", "only response_type=code is supported")
    if "openid" not in params.get("scope", "").split():
        raise RequestProblem("invalid_scope", "the scope must include openid")
    if not params.get("code_challenge"):
        raise RequestProblem("invalid_request", "code_challenge is required (PKCE, S256)")
    if params.get("code_challenge_method") != "S256":
        raise RequestProblem("invalid_request", "code_challenge_method must be S256")
    if not CHALLENGE.fullmatch(params["code_challenge"]):
        raise RequestProblem("invalid_request", "code_challenge is not a S256 challenge")
    return AuthorizationRequest(
        client_id,
        redirect_uri,
        params.get("state", ""),
        params.get("nonce", ""),
        params["code_challenge"],
        params.get("scope", "openid"),
    )


@dataclass(frozen=True)
class Grant:
    """What an authorization code stands for, and until when."""

    request: AuthorizationRequest
    subject: str
    role: str
    branch: str | None
    expires_at: float


class CodeStore:
    """Authorization codes in memory: random, single use, short-lived."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._grants: dict[str, Grant] = {}

    def issue(
        self,
        request: AuthorizationRequest,
        subject: str,
        role: str,
        branch: str | None,
        ttl_s: float,
    ) -> str:
        """A fresh code for this sign-in."""
        now = self._clock()
        self._grants = {code: g for code, g in self._grants.items() if g.expires_at > now}
        code = secrets.token_urlsafe(32)
        self._grants[code] = Grant(request, subject, role, branch, now + ttl_s)
        return code

    def redeem(self, code: str) -> Grant | None:
        """The code's grant, once: any attempt uses the code up; None if unknown or expired."""
        grant = self._grants.pop(code, None)
        if grant is None or grant.expires_at <= self._clock():
            return None
        return grant
