"""The console's parts, built once at start and reached from any route."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from fastapi import Request

from console.auth.oidc import OidcClient
from console.auth.session import Sealer
from console.config import ConsoleSettings
from console.web.upstream import Upstream
from shared.auth import TokenVerifier

if TYPE_CHECKING:
    from console.live.hub import LiveHub


@dataclass
class ConsoleContext:
    """Settings, the cookie sealer, the OIDC client, the services' client and the live hub."""

    settings: ConsoleSettings
    sealer: Sealer
    oidc: OidcClient
    upstream: Upstream
    hub: "LiveHub"
    verifier: TokenVerifier | None = None

    async def token_verifier(self) -> TokenVerifier:
        """Verifies access tokens with the provider's keys (from discovery unless configured)."""
        if self.verifier is None:
            settings = self.settings
            if not (settings.auth_jwks_url or settings.auth_jwks_path):
                jwks = await self.oidc.jwks_uri()
                settings = settings.model_copy(update={"auth_jwks_url": jwks})
            self.verifier = TokenVerifier(settings)
        return self.verifier


def context(request: Request) -> ConsoleContext:
    """The console's context (FastAPI dependency)."""
    found: ConsoleContext = request.app.state.console
    return found
