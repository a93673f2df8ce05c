"""The local console's settings: its port and address, the dev issuer to sign in with, a session
secret made once and kept in the data folder, the services, and its NATS user."""

import secrets
from pathlib import Path


def session_secret(data_dir: Path) -> str:
    """The console's cookie secret, made the first time and kept (owner-only)."""
    path = data_dir / "console-session-secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def console_env(
    data_dir: Path,
    port: int,
    issuer_url: str,
    service_urls: dict[str, str],
    nats_address: str,
    nats_password: str | None,
) -> dict[str, str]:
    """Environment for the console process."""
    env = {
        "CONSOLE_HTTP_PORT": str(port),
        "CONSOLE_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "CONSOLE_OIDC_DISCOVERY_URL": f"{issuer_url}/.well-known/openid-configuration",
        "CONSOLE_SESSION_SECRET": session_secret(data_dir),
        "CONSOLE_COOKIE_SECURE": "false",  # plain http on 127.0.0.1 only
        "CONSOLE_NATS_URL": nats_address,
        **{f"CONSOLE_{name.upper()}_URL": url for name, url in service_urls.items()},
    }
    if nats_password is not None:
        env |= {"CONSOLE_NATS_USER": "console", "CONSOLE_NATS_PASSWORD": nats_password}
    return env
