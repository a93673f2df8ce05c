"""Every HTTP endpoint but health, readiness and metrics needs a valid OIDC bearer token; a
forged, expired, foreign or tampered one gets 401 and the same words, leaking nothing."""

import base64
import hashlib
import hmac
import json
import time

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from aftercare.app import create_app as create_aftercare
from aftercare.config import AftercareSettings
from helpers.apps import FAST, running
from helpers.auth import TEST_ISSUER, bearer
from intake.app import create_app as create_intake
from intake.config import IntakeSettings
from matching.app import create_app as create_matching
from matching.config import MatchingSettings
from notify.app import create_app as create_notify
from notify.config import NotifySettings
from sessions.app import create_app as create_sessions
from sessions.config import SessionsSettings
from shared.auth import REFUSED

# Notify's ack link is its own credential (signed, single-use, expiring): no bearer token.
OPEN = {"/healthz", "/readyz", "/metrics", "/ack/{token}"}
SERVICES = [
    (create_intake, IntakeSettings),
    (create_matching, MatchingSettings),
    (create_sessions, SessionsSettings),
    (create_aftercare, AftercareSettings),
    (create_notify, NotifySettings),
]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def claims(**overrides: object) -> dict[str, object]:
    now = int(time.time())
    found: dict[str, object] = {
        "iss": "saathi-dev-issuer",
        "aud": "saathi",
        "sub": "coord-1",
        "iat": now,
        "exp": now + 600,
        "saathi_role": "coordinator",
        "saathi_branch": "kol-salt-lake",
    }
    found.update(overrides)
    return found


def signed(payload: dict[str, object], kid: str | None = None) -> str:
    return jwt.encode(
        payload, TEST_ISSUER.private_pem, algorithm="RS256", headers={"kid": kid or TEST_ISSUER.kid}
    )


def hs256_with_the_public_key() -> str:
    """The classic confusion attack: HMAC keyed with the issuer's public key."""
    private = serialization.load_pem_private_key(TEST_ISSUER.private_pem, password=None)
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": TEST_ISSUER.kid}).encode())
    body = _b64(json.dumps(claims()).encode())
    mac = hmac.new(public_pem, f"{header}.{body}".encode(), hashlib.sha256).digest()
    return f"{header}.{body}.{_b64(mac)}"


def unsigned() -> str:
    header = _b64(json.dumps({"alg": "none", "typ": "JWT", "kid": TEST_ISSUER.kid}).encode())
    return f"{header}.{_b64(json.dumps(claims()).encode())}."


def tampered() -> str:
    header, _, signature = signed(claims()).split(".")
    body = _b64(json.dumps(claims(saathi_role="ops", saathi_branch=None)).encode())
    return f"{header}.{body}.{signature}"


def another_issuers_key() -> str:
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return jwt.encode(claims(), stranger, algorithm="RS256", headers={"kid": TEST_ISSUER.kid})


BAD_TOKENS = {
    "alg none": unsigned,
    "HS256 keyed with the public key": hs256_with_the_public_key,
    "wrong audience": lambda: signed(claims(aud="another-app")),
    "wrong issuer": lambda: signed(claims(iss="https://evil.example")),
    "expired": lambda: signed(claims(exp=int(time.time()) - 120, iat=int(time.time()) - 900)),
    "no expiry": lambda: signed({k: v for k, v in claims().items() if k != "exp"}),
    "unknown kid": lambda: signed(claims(), kid="not-a-known-key"),
    "tampered payload": tampered,
    "signed by another key": another_issuers_key,
    "unknown role": lambda: signed(claims(saathi_role="admin")),
    "not a JWT": lambda: "not.a.jwt",
}


@pytest.fixture
async def matching(clean_nats, dbs):
    settings = MatchingSettings(database_url=await dbs.url("matching"), nats_url=clean_nats, **FAST)
    async with running(create_matching, settings) as service:
        yield service


@pytest.mark.parametrize("make_token", BAD_TOKENS.values(), ids=BAD_TOKENS.keys())
async def test_a_bad_token_gets_401_and_learns_nothing(matching, make_token):
    token = make_token()

    response = await matching.client.get("/mentors", headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 401
    assert response.json() == {"detail": REFUSED}
    assert response.headers["www-authenticate"].startswith("Bearer")


async def test_no_token_gets_401_a_valid_one_gets_through(matching):
    without = await matching.client.get("/mentors", headers={"Authorization": ""})
    wrong_scheme = await matching.client.get("/mentors", headers={"Authorization": "Basic eDp5"})
    valid = await matching.client.get("/mentors", headers=bearer("coordinator", "kol-behala"))

    assert without.status_code == wrong_scheme.status_code == 401
    assert valid.status_code == 200


async def test_health_and_readiness_need_no_token(matching):
    for path in ("/healthz", "/readyz"):
        response = await matching.client.get(path, headers={"Authorization": ""})
        assert response.status_code == 200, path


@pytest.mark.parametrize(
    ("create_app", "settings_cls"), SERVICES, ids=lambda x: getattr(x, "__module__", "")
)
async def test_every_endpoint_of_every_service_refuses_a_request_without_a_token(
    create_app, settings_cls
):
    app = create_app(settings_cls(**FAST))
    operations = [
        (method.upper(), path)
        for path, item in app.openapi()["paths"].items()
        if path not in OPEN
        for method in item
    ]
    assert len(operations) > 5
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        for method, path in operations:
            concrete = path.replace("{", "").replace("}", "")
            response = await client.request(method, concrete, json={})
            assert response.status_code == 401, f"{method} {path}"
