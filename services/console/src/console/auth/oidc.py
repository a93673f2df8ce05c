"""The console as an OpenID Connect client: discovery, the authorization request with PKCE,
the code exchange, and the ID token's checks (issuer, audience, nonce, signature)."""

import asyncio
import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
import jwt

log = logging.getLogger(__name__)


class SignInError(RuntimeError):
    """The provider refused or answered something the console cannot trust."""


@dataclass(frozen=True)
class Tokens:
    """What a successful exchange gives: the access token for the APIs and the ID token's claims."""

    access_token: str
    claims: dict[str, Any]


class OidcClient:
    """One provider, its discovery document fetched on first use and kept."""

    def __init__(
        self,
        discovery_url: str,
        client_id: str,
        client_secret: str | None,
        http: httpx.AsyncClient,
        scope: str = "openid profile",
    ) -> None:
        self._discovery_url = discovery_url
        self.client_id = client_id
        self._client_secret = client_secret
        self._http = http
        self._scope = scope
        self._metadata: dict[str, Any] | None = None
        self._keys: jwt.PyJWKClient | None = None
        self._lock = asyncio.Lock()

    async def metadata(self) -> dict[str, Any]:
        """The provider's discovery document."""
        async with self._lock:
            if self._metadata is None:
                try:
                    answer = await self._http.get(self._discovery_url, timeout=5.0)
                    answer.raise_for_status()
                except httpx.HTTPError as error:
                    raise SignInError(
                        f"the sign-in provider is unreachable at {self._discovery_url} ({error}); "
                        "check CONSOLE_OIDC_DISCOVERY_URL"
                    ) from None
                self._metadata = dict(answer.json())
                self._keys = jwt.PyJWKClient(self._metadata["jwks_uri"], cache_keys=True)
            return self._metadata

    async def jwks_uri(self) -> str:
        """Where the provider's signing keys are (the APIs verify access tokens with them)."""
        return str((await self.metadata())["jwks_uri"])

    async def authorization_url(
        self, redirect_uri: str, state: str, nonce: str, code_challenge: str
    ) -> str:
        """Where to send the browser to sign in."""
        endpoint = (await self.metadata())["authorization_endpoint"]
        query = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": redirect_uri,
            "scope": self._scope,
            "state": state,
            "nonce": nonce,
            "code_challenge": code_challenge,
            "code_challenge_method": "S256",
        }
        return f"{endpoint}?{urlencode(query)}"

    async def exchange(self, code: str, verifier: str, redirect_uri: str, nonce: str) -> Tokens:
        """Trade the authorization code for tokens and check the ID token."""
        metadata = await self.metadata()
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "client_id": self.client_id,
            "code_verifier": verifier,
        }
        if self._client_secret:
            form["client_secret"] = self._client_secret
        try:
            answer = await self._http.post(metadata["token_endpoint"], data=form, timeout=10.0)
        except httpx.HTTPError as error:
            raise SignInError(f"the sign-in provider did not answer ({error})") from None
        if answer.status_code != 200:
            log.info("token endpoint refused the code: %s", answer.text[:200])
            raise SignInError("the sign-in provider refused the sign-in; please try again")
        body = answer.json()
        claims = await asyncio.to_thread(self._verify_id_token, body.get("id_token", ""), nonce)
        if not body.get("access_token"):
            raise SignInError("the sign-in provider gave no access token")
        return Tokens(str(body["access_token"]), claims)

    def _verify_id_token(self, id_token: str, nonce: str) -> dict[str, Any]:
        assert self._metadata is not None and self._keys is not None
        try:
            key = self._keys.get_signing_key_from_jwt(id_token).key
            claims = jwt.decode(
                id_token,
                key,
                algorithms=["RS256", "ES256", "PS256"],
                audience=self.client_id,
                issuer=self._metadata["issuer"],
                leeway=30,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except (jwt.InvalidTokenError, jwt.PyJWKClientError) as error:
            log.info("refused an ID token: %s", error)
            raise SignInError("the sign-in could not be verified; please try again") from None
        if claims.get("nonce") != nonce:
            raise SignInError("the sign-in could not be verified; please try again")
        return dict(claims)
