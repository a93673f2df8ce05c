"""How a service authenticates to NATS: its own user and password, and TLS (verifying the
server against a CA, optionally presenting a client certificate)."""

import ssl

from faststream.nats import NatsSecurity, NatsUserPassword

from shared.settings import ServiceSettings


def tls_context(ca_path: str | None, cert_path: str | None, key_path: str | None) -> ssl.SSLContext:
    """A client TLS context trusting `ca_path` (system CAs when None), with a client
    certificate when given."""
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=ca_path)
    if cert_path:
        context.load_cert_chain(cert_path, key_path)
    return context


def nats_security(settings: ServiceSettings) -> NatsSecurity | None:
    """The NATS connection's security: the service's user and password, and TLS, as set."""
    tls = None
    if settings.nats_tls_ca_path or settings.nats_url.startswith("tls://"):
        tls = tls_context(
            settings.nats_tls_ca_path, settings.nats_tls_cert_path, settings.nats_tls_key_path
        )
    if settings.nats_user:
        password = settings.nats_password.get_secret_value() if settings.nats_password else ""
        return NatsUserPassword(settings.nats_user, password, ssl_context=tls)
    return NatsSecurity(ssl_context=tls) if tls is not None else None
