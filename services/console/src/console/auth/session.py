"""The session cookie: the signed-in person, their token and their CSRF token, encrypted and
authenticated (Fernet) so a replica can read it and nobody can forge or read it."""

import base64
import hashlib
import json
import time
from dataclasses import asdict, dataclass

from cryptography.fernet import Fernet, InvalidToken

SESSION_COOKIE = "saathi_session"
LOGIN_COOKIE = "saathi_login"  # state, nonce and PKCE verifier between redirect and callback


@dataclass(frozen=True)
class Visitor:
    """A signed-in person: who, their role and branch, their access token, their CSRF token."""

    subject: str
    role: str
    branch: str | None
    name: str
    token: str
    csrf: str
    expires_at: float

    @property
    def reach(self) -> str:
        """The branch they act for, or `network`."""
        return self.branch or "network"


class Sealer:
    """Seals and opens cookie values with a key derived from the console's secret."""

    def __init__(self, secret: str) -> None:
        key = base64.urlsafe_b64encode(hashlib.sha256(secret.encode()).digest())
        self._fernet = Fernet(key)

    def seal(self, value: dict[str, object]) -> str:
        """The value, encrypted and timestamped."""
        return self._fernet.encrypt(json.dumps(value).encode()).decode("ascii")

    def open(self, sealed: str | None, max_age_s: float) -> dict[str, object] | None:
        """The value, or None when missing, forged, or older than `max_age_s`."""
        if not sealed:
            return None
        try:
            return dict(json.loads(self._fernet.decrypt(sealed.encode(), ttl=int(max_age_s))))
        except (InvalidToken, ValueError, TypeError):
            return None

    def seal_visitor(self, visitor: Visitor) -> str:
        """The session cookie's value."""
        return self.seal(asdict(visitor))

    def open_visitor(self, sealed: str | None, max_age_s: float) -> Visitor | None:
        """The visitor of a session cookie, or None when absent, forged, old or expired."""
        value = self.open(sealed, max_age_s)
        if value is None:
            return None
        try:
            visitor = Visitor(**value)  # type: ignore[arg-type]
        except TypeError:
            return None
        return visitor if visitor.expires_at > time.time() else None
