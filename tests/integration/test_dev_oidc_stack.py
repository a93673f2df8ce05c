"""The local stack starts the dev OIDC issuer as its own process before the services: a
browser-like sign-in over real HTTP yields a token a service verifies with the issuer's JWKS URL."""

import base64
import hashlib
import html
import re
import secrets
import socket
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from saathi_stack.ports import free_port, free_ports, port_is_free
from saathi_stack.stack import SERVICES, LocalStack, PortBusyError, StackConfig
from shared.auth import TokenVerifier
from shared.settings import ServiceSettings

HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def _config(tmp_path: Path, oidc_port: int, callback: str) -> StackConfig:
    nats, mllp, *ports = free_ports(2 + len(SERVICES))
    return StackConfig(
        data_dir=tmp_path,
        nats_port=nats,
        mllp_port=mllp,
        ports=dict(zip(SERVICES, ports, strict=True)),
        oidc_port=oidc_port,
        oidc_redirect_uris=(callback,),
    )


def test_the_stack_runs_the_dev_issuer_and_services_trust_its_tokens(tmp_path: Path):
    callback = f"http://127.0.0.1:{free_port()}/auth/callback"
    stack = LocalStack(_config(tmp_path, free_port(), callback))
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    params = {
        "response_type": "code",
        "client_id": "saathi-console",
        "redirect_uri": callback,
        "scope": "openid",
        "state": "s",
        "nonce": "n",
        "code_challenge": challenge.rstrip(b"=").decode(),
        "code_challenge_method": "S256",
    }
    try:
        stack.start(services=())
        discovery_url = f"{stack.url('dev-oidc')}/.well-known/openid-configuration"
        with httpx.Client(timeout=10) as browser:
            found = browser.get(discovery_url).json()
            page = browser.get(found["authorization_endpoint"], params=params)
            fields = {name: html.unescape(value) for name, value in HIDDEN.findall(page.text)}
            choice = {"role": "clinician", "branch": "kol-salt-lake", "person": "dr-salt-lake-day"}
            answer = browser.post(found["authorization_endpoint"], data={**fields, **choice})
            code = parse_qs(urlsplit(answer.headers["location"]).query)["code"][0]
            tokens = browser.post(
                found["token_endpoint"],
                data={
                    "grant_type": "authorization_code",
                    "code": code,
                    "redirect_uri": callback,
                    "client_id": "saathi-console",
                    "code_verifier": verifier,
                },
            ).json()
        principal = TokenVerifier(ServiceSettings(auth_jwks_url=found["jwks_uri"])).verify(
            tokens["access_token"]
        )
        assert (principal.subject, principal.role, principal.branch) == (
            "dr-salt-lake-day",
            "clinician",
            "kol-salt-lake",
        )
    finally:
        stack.stop()
    assert stack.config.oidc_port is not None and port_is_free(stack.config.oidc_port)


def test_a_taken_sign_in_port_names_its_setting(tmp_path: Path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        stack = LocalStack(_config(tmp_path, taken.getsockname()[1], "http://127.0.0.1:1/cb"))
        with pytest.raises(PortBusyError, match=r"for dev-oidc .* SAATHI_OIDC_PORT"):
            stack.check_ports()
