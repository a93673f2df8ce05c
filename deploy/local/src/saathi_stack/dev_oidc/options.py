"""The dev issuer's settings: where it is reachable, its key folder, its clients, branches."""

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from saathi_stack.demo import BRANCHES

DEFAULT_PORT = 8100
CONSOLE_CLIENT_ID = "saathi-console"
CONSOLE_REDIRECT_URI = "http://127.0.0.1:8106/auth/callback"


@dataclass(frozen=True)
class Client:
    """A registered relying party: its redirect URIs and, if confidential, its secret."""

    client_id: str
    redirect_uris: tuple[str, ...]
    secret: str | None = None  # None: a public client (PKCE only, auth method "none")


@dataclass(frozen=True)
class DevOidcOptions:
    """Everything the dev issuer is told at start."""

    public_url: str
    issuer_dir: Path
    clients: Mapping[str, Client]
    branches: tuple[str, ...] = BRANCHES
    port: int = DEFAULT_PORT
    code_ttl_s: float = 60.0
    token_ttl_s: int = 8 * 3600

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> "DevOidcOptions":
        """Settings from SAATHI_OIDC_* variables (and SAATHI_DATA_DIR), defaults otherwise."""
        port = int(env.get("SAATHI_OIDC_PORT", str(DEFAULT_PORT)))
        data_dir = Path(env.get("SAATHI_DATA_DIR", "var"))
        client = Client(
            env.get("SAATHI_OIDC_CLIENT_ID", CONSOLE_CLIENT_ID),
            _listed(env.get("SAATHI_OIDC_REDIRECT_URIS", CONSOLE_REDIRECT_URI)),
            env.get("SAATHI_OIDC_CLIENT_SECRET") or None,
        )
        return cls(
            public_url=env.get("SAATHI_OIDC_PUBLIC_URL", f"http://127.0.0.1:{port}").rstrip("/"),
            issuer_dir=Path(env.get("SAATHI_OIDC_ISSUER_DIR", str(data_dir / "dev-issuer"))),
            clients={client.client_id: client},
            branches=_listed(env.get("SAATHI_OIDC_BRANCHES", ",".join(BRANCHES))),
            port=port,
        )


def _listed(text: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in text.split(",") if item.strip())
