"""Notify's second NATS connection, as the ops user, opened per dead-letter request: notify's
own user may read the dead-letter stream but not republish another service's events."""

import contextlib
import ssl
from collections.abc import AsyncIterator
from dataclasses import dataclass

import nats
from nats.js import JetStreamContext

from shared.errors import DomainError

NOT_CONFIGURED = (
    "dead-letter actions need NOTIFY_OPS_NATS_USER/PASSWORD (the NATS ops user); "
    "until they are set use `saathi-deadletters` as ops"
)


class OpsNatsUnavailable(DomainError):
    """No ops connection to NATS: not configured, unreachable or refused."""

    status_code = 503


async def _quiet(_: Exception) -> None:
    """nats-py prints every failed attempt otherwise; the request reports the outcome."""


@dataclass(frozen=True)
class OpsNats:
    """Where and as whom to connect (the server URL and TLS are notify's own)."""

    url: str
    user: str
    password: str
    tls: ssl.SSLContext | None = None
    timeout_s: float = 3.0

    @contextlib.asynccontextmanager
    async def jetstream(self) -> AsyncIterator[JetStreamContext]:
        """A JetStream context as the ops user, closed afterwards; 503 when NATS says no."""
        address = self.url.rsplit("@", 1)[-1]
        try:
            connection = await nats.connect(
                self.url,
                user=self.user,
                password=self.password,
                tls=self.tls,
                connect_timeout=max(1, int(self.timeout_s)),
                allow_reconnect=False,
                max_reconnect_attempts=1,
                error_cb=_quiet,
            )
        except Exception as error:  # refused, unreachable, bad credentials: all say the same
            raise OpsNatsUnavailable(
                f"cannot reach NATS at {address} as {self.user!r} ({type(error).__name__}): "
                "check that NATS is up and NOTIFY_OPS_NATS_USER/PASSWORD name the ops user"
            ) from None
        try:
            yield connection.jetstream(timeout=self.timeout_s)
        except (nats.errors.TimeoutError, nats.errors.NoRespondersError) as error:
            raise OpsNatsUnavailable(
                f"NATS at {address} did not answer as {self.user!r} ({type(error).__name__}): "
                "check JetStream is up and that this user has the ops permissions"
            ) from None
        finally:
            with contextlib.suppress(Exception):
                await connection.close()
