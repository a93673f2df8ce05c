"""Who is calling: OIDC bearer tokens (JWT) verified with PyJWT against the issuer's keys —
fixed algorithms, audience and issuer, expiry required, clock skew bounded. A refused token
gets 401 and the same words whatever was wrong with it (the reason goes to the log)."""

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from fastapi import HTTPException, Request, status

from shared.settings import ServiceSettings

log = logging.getLogger(__name__)

ROLES = frozenset(
    {
        "ehr_feed",
        "coordinator",
        "mentor",
        "supervisor",
        "clinician",
        "privacy_officer",
        "ops",
    }
)
ROLE_CLAIM = "saathi_role"
BRANCH_CLAIM = "saathi_branch"
REFUSED = "a valid bearer token is required"


@dataclass(frozen=True)
class Principal:
    """The verified caller: who, in which role, at which branch (None: every branch)."""

    subject: str
    role: str
    branch: str | None


class AuthConfigError(RuntimeError):
    """The service cannot verify tokens as configured."""


class TokenVerifier:
    """Verifies bearer tokens against a JWKS (a file, or the issuer's URL, cached)."""

    def __init__(self, settings: ServiceSettings) -> None:
        self._settings = settings
        prefix = settings.model_config.get("env_prefix", "")
        self._client: jwt.PyJWKClient | None = None
        self._keys: dict[str, jwt.PyJWK] = {}
        if settings.auth_jwks_path:
            path = Path(settings.auth_jwks_path)
            if not path.is_file():
                raise AuthConfigError(
                    f"no JWKS file at {path} (set AUTH_JWKS_PATH or AUTH_JWKS_URL)"
                )
            keys = jwt.PyJWKSet.from_json(path.read_text()).keys
            self._keys = {key.key_id: key for key in keys if key.key_id}
        elif settings.auth_jwks_url:
            self._client = jwt.PyJWKClient(settings.auth_jwks_url, cache_keys=True, lifespan=300)
        else:
            raise AuthConfigError(
                f"token verification needs the issuer's keys: set {prefix}AUTH_JWKS_URL or "
                f"{prefix}AUTH_JWKS_PATH (or {prefix}AUTH_REQUIRED=false for a local experiment)"
            )

    def _key(self, token: str) -> Any:
        if self._client is not None:
            return self._client.get_signing_key_from_jwt(token).key
        kid = jwt.get_unverified_header(token).get("kid")
        if kid not in self._keys:
            raise jwt.InvalidTokenError("unknown key id")
        return self._keys[kid].key

    def verify(self, token: str) -> Principal:
        """The caller, or `jwt.InvalidTokenError` saying what was wrong."""
        settings = self._settings
        claims = jwt.decode(
            token,
            self._key(token),
            algorithms=settings.auth_algorithms,
            audience=settings.auth_audience,
            issuer=settings.auth_issuer,
            leeway=settings.auth_leeway_s,
            options={"require": ["exp", "iat", "iss", "aud", "sub"]},
        )
        role = claims.get(ROLE_CLAIM)
        if role not in ROLES:
            raise jwt.InvalidTokenError("no known role")
        branch = claims.get(BRANCH_CLAIM)
        return Principal(str(claims["sub"]), str(role), str(branch) if branch else None)


def bearer_token(request: Request) -> str | None:
    """The token of an `Authorization: Bearer …` header."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def authenticate(request: Request) -> Principal:
    """FastAPI dependency: the verified caller, or 401."""
    verifier: TokenVerifier = request.app.state.token_verifier
    token = bearer_token(request)
    try:
        if token is None:
            raise jwt.InvalidTokenError("no bearer token")
        principal = verifier.verify(token)
    except (jwt.InvalidTokenError, jwt.PyJWKClientError) as error:
        log.info("refused a request to %s: %s", request.url.path, error)
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail=REFUSED,
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        ) from None
    request.state.principal = principal
    return principal
