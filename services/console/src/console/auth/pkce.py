"""PKCE (RFC 7636): a fresh verifier per sign-in and its S256 challenge."""

import base64
import hashlib
import secrets


def new_verifier() -> str:
    """A 43+ character random code verifier."""
    return secrets.token_urlsafe(48)


def challenge(verifier: str) -> str:
    """BASE64URL(SHA256(verifier)) without padding."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
