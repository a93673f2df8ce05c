"""The local stack's own token issuer: an RSA key kept in the data folder, its JWKS for the
services to verify with, and bearer tokens minted for any role and branch. For a laptop and
tests only: production verifies the hospital's OIDC issuer (AUTH_JWKS_URL)."""

import hashlib
import json
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ISSUER = "saathi-dev-issuer"
AUDIENCE = "saathi"
ALGORITHM = "RS256"


@dataclass(frozen=True)
class DevIssuer:
    """The issuer's key, its id, and where its JWKS is."""

    private_pem: bytes
    kid: str
    jwks_path: Path

    @classmethod
    def ensure(cls, folder: Path) -> "DevIssuer":
        """The issuer kept in `folder`, made there the first time."""
        folder.mkdir(parents=True, exist_ok=True)
        key_path, jwks_path = folder / "issuer-key.pem", folder / "jwks.json"
        if not key_path.exists():
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            pem = key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            key_path.write_bytes(pem)
            key_path.chmod(0o600)
        pem = key_path.read_bytes()
        kid = hashlib.sha256(pem).hexdigest()[:16]
        private = serialization.load_pem_private_key(pem, password=None)
        assert isinstance(private, rsa.RSAPrivateKey)
        public = private.public_key()
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(public))
        jwks_path.write_text(
            json.dumps({"keys": [{**jwk, "kid": kid, "use": "sig", "alg": ALGORITHM}]})
        )
        return cls(pem, kid, jwks_path)

    def mint(
        self,
        role: str,
        branch: str | None = None,
        subject: str | None = None,
        ttl_s: int = 8 * 3600,
    ) -> str:
        """A signed token for `subject` in `role` (at `branch`; none: every branch)."""
        now = int(time.time())
        claims: dict[str, object] = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": subject or f"dev-{role}",
            "iat": now,
            "exp": now + ttl_s,
            "jti": str(uuid.uuid4()),
            "saathi_role": role,
        }
        if branch:
            claims["saathi_branch"] = branch
        return jwt.encode(claims, self.private_pem, algorithm=ALGORITHM, headers={"kid": self.kid})

    def env(self, prefix: str) -> dict[str, str]:
        """The settings a service needs to trust this issuer (prefix e.g. `INTAKE_`)."""
        return {
            f"{prefix}AUTH_JWKS_PATH": str(self.jwks_path),
            f"{prefix}AUTH_ISSUER": ISSUER,
            f"{prefix}AUTH_AUDIENCE": AUDIENCE,
        }
