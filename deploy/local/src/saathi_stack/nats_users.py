"""NATS users of the local stack: one per service with its own permissions, plus ops. The
passwords are made once and kept (owner-only) in the data directory, with the server's
authorization configuration beside them."""

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from shared.nats_permissions import OPS_USER, USERS, authorization_block

PASSWORDS = "passwords.json"
CONFIG = "auth.conf"


@dataclass(frozen=True)
class NatsUsers:
    """The stack's NATS users and where their configuration lives."""

    folder: Path
    passwords: dict[str, str]

    @classmethod
    def ensure(cls, folder: Path) -> "NatsUsers":
        """Load the users, making passwords the first time; (re)write the server config."""
        folder.mkdir(parents=True, exist_ok=True)
        stored = folder / PASSWORDS
        passwords: dict[str, str] = json.loads(stored.read_text()) if stored.exists() else {}
        for user in USERS:
            passwords.setdefault(user, secrets.token_urlsafe(24))
        stored.write_text(json.dumps(passwords, indent=2))
        os.chmod(stored, 0o600)
        config = folder / CONFIG
        config.write_text(authorization_block(passwords))
        os.chmod(config, 0o600)
        return cls(folder, passwords)

    @property
    def config_path(self) -> Path:
        """The nats-server configuration file with the authorization block."""
        return self.folder / CONFIG

    def service_env(self, service: str) -> dict[str, str]:
        """Environment for a service: its user, its password, and no stream management."""
        prefix = service.upper() + "_"
        return {
            f"{prefix}NATS_USER": service,
            f"{prefix}NATS_PASSWORD": self.passwords[service],
            f"{prefix}MANAGE_STREAMS": "false",
        }

    def ops_env(self, service: str) -> dict[str, str]:
        """Environment handing a service the ops user too (notify's dead-letter actions)."""
        prefix = service.upper() + "_"
        return {
            f"{prefix}OPS_NATS_USER": OPS_USER,
            f"{prefix}OPS_NATS_PASSWORD": self.passwords[OPS_USER],
        }

    def ops_url(self, address: str) -> str:
        """`address` (nats://host:port) with the ops user's credentials, for tools."""
        scheme, rest = address.split("://", 1)
        return f"{scheme}://{OPS_USER}:{quote(self.passwords[OPS_USER], safe='')}@{rest}"
