"""The dev OIDC issuer as the web console meets it: discovery, the sign-in page, the code +
PKCE exchange, and the services accepting the access token it hands out."""

import base64
import hashlib
import html
import re
import secrets
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt
import pytest

from saathi_stack.dev_oidc.app import create_app
from saathi_stack.dev_oidc.options import Client, DevOidcOptions
from shared.auth import TokenVerifier
from shared.settings import ServiceSettings

BASE = "http://127.0.0.1:8100"
CALLBACK = "http://127.0.0.1:8106/auth/callback"
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


class Clock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def _options(folder: Path) -> DevOidcOptions:
    return DevOidcOptions(
        public_url=BASE,
        issuer_dir=folder,
        clients={"saathi-console": Client("saathi-console", (CALLBACK,))},
    )


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def oidc(tmp_path: Path, clock: Clock) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(_options(tmp_path / "dev-issuer"), clock=clock)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
        yield client


def _pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _authorize_params(challenge: str, **changes: str) -> dict[str, str]:
    params = {
        "response_type": "code",
        "client_id": "saathi-console",
        "redirect_uri": CALLBACK,
        "scope": "openid profile",
        "state": "state-1",
        "nonce": "nonce-1",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    return {name: value for name, value in {**params, **changes}.items() if value != "-"}


async def _sign_in(
    oidc: httpx.AsyncClient, challenge: str, role: str, branch: str, person: str
) -> str:
    """What a browser does: open the page, submit its form as it is filled in; the code."""
    page = await oidc.get("/authorize", params=_authorize_params(challenge))
    assert page.status_code == 200, page.text
    fields = {name: html.unescape(value) for name, value in HIDDEN.findall(page.text)}
    answer = await oidc.post(
        "/authorize", data={**fields, "role": role, "branch": branch, "person": person}
    )
    assert answer.status_code == 303, answer.text
    location = urlsplit(answer.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == CALLBACK
    query = parse_qs(location.query)
    assert query["state"] == ["state-1"]
    return query["code"][0]


def _exchange(code: str, verifier: str, **changes: str) -> dict[str, str]:
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": CALLBACK,
        "client_id": "saathi-console",
        "code_verifier": verifier,
    }
    return {**form, **changes}


async def test_discovery_names_the_endpoints_and_what_is_supported(oidc: httpx.AsyncClient):
    found = (await oidc.get("/.well-known/openid-configuration")).json()
    assert found["issuer"] == "saathi-dev-issuer"
    assert found["authorization_endpoint"] == f"{BASE}/authorize"
    assert found["token_endpoint"] == f"{BASE}/token"
    assert found["code_challenge_methods_supported"] == ["S256"]
    keys = (await oidc.get("/jwks")).json()["keys"]
    assert keys[0]["alg"] == "RS256" and "d" not in keys[0]  # public half only
    assert (await oidc.get("/readyz")).json() == {"status": "ok", "service": "dev-oidc"}


async def test_the_sign_in_page_is_labelled_and_says_it_is_for_development(
    oidc: httpx.AsyncClient,
):
    challenge = _pkce()[1]
    page = (await oidc.get("/authorize", params=_authorize_params(challenge))).text
    assert '<html lang="en">' in page
    assert "Development sign-in — not for production" in page
    for field in ("role", "branch", "person", "person_id"):
        assert f'<label for="{field}">' in page and f'id="{field}"' in page
    assert "every branch (network)" in page and "kol-behala" in page
    assert "co-kol-salt-lake" in page and "mn-ananya" in page
    assert "http" not in page.split("<body>")[1].replace(CALLBACK, "")  # no external assets


async def test_a_signed_in_person_gets_tokens_the_services_accept(
    oidc: httpx.AsyncClient, tmp_path: Path
):
    verifier, challenge = _pkce()
    code = await _sign_in(oidc, challenge, "coordinator", "kol-behala", "co-kol-behala")
    answer = await oidc.post("/token", data=_exchange(code, verifier))
    assert answer.status_code == 200, answer.text
    tokens = answer.json()
    assert tokens["token_type"] == "Bearer" and tokens["expires_in"] == 8 * 3600
    settings = ServiceSettings(auth_jwks_path=str(tmp_path / "dev-issuer" / "jwks.json"))
    principal = TokenVerifier(settings).verify(tokens["access_token"])
    assert (principal.subject, principal.role, principal.branch) == (
        "co-kol-behala",
        "coordinator",
        "kol-behala",
    )
    keys = jwt.PyJWKSet.from_dict((await oidc.get("/jwks")).json())
    claims = jwt.decode(
        tokens["id_token"],
        keys.keys[0].key,
        algorithms=["RS256"],
        audience="saathi-console",
        issuer="saathi-dev-issuer",
        options={"verify_exp": False, "verify_iat": False},  # signed at the test's clock
    )
    assert claims["nonce"] == "nonce-1" and claims["sub"] == "co-kol-behala"
    assert claims["saathi_role"] == "coordinator" and claims["saathi_branch"] == "kol-behala"


async def test_a_typed_person_id_and_every_branch_sign_in_as_that(
    oidc: httpx.AsyncClient, tmp_path: Path
):
    verifier, challenge = _pkce()
    page = await oidc.get("/authorize", params=_authorize_params(challenge))
    fields = {name: html.unescape(value) for name, value in HIDDEN.findall(page.text)}
    form = {**fields, "role": "mentor", "branch": "", "person": "mn-rupa", "person_id": "mn-new"}
    location = (await oidc.post("/authorize", data=form)).headers["location"]
    code = parse_qs(urlsplit(location).query)["code"][0]
    tokens = (await oidc.post("/token", data=_exchange(code, verifier))).json()
    settings = ServiceSettings(auth_jwks_path=str(tmp_path / "dev-issuer" / "jwks.json"))
    principal = TokenVerifier(settings).verify(tokens["access_token"])
    assert (principal.subject, principal.role, principal.branch) == ("mn-new", "mentor", None)


async def test_a_wrong_verifier_is_refused_and_uses_the_code_up(oidc: httpx.AsyncClient):
    verifier, challenge = _pkce()
    code = await _sign_in(oidc, challenge, "clinician", "kol-salt-lake", "dr-salt-lake-day")
    wrong = await oidc.post("/token", data=_exchange(code, _pkce()[0]))
    assert wrong.status_code == 400
    assert wrong.json()["error"] == "invalid_grant"
    assert "code_verifier" in wrong.json()["error_description"]
    again = await oidc.post("/token", data=_exchange(code, verifier))
    assert again.json()["error"] == "invalid_grant"


async def test_a_code_is_refused_the_second_time(oidc: httpx.AsyncClient):
    verifier, challenge = _pkce()
    code = await _sign_in(oidc, challenge, "supervisor", "kol-behala", "sup-kol-behala")
    assert (await oidc.post("/token", data=_exchange(code, verifier))).status_code == 200
    second = await oidc.post("/token", data=_exchange(code, verifier))
    assert second.status_code == 400 and second.json()["error"] == "invalid_grant"


async def test_a_code_older_than_a_minute_is_refused(oidc: httpx.AsyncClient, clock: Clock):
    verifier, challenge = _pkce()
    code = await _sign_in(oidc, challenge, "ops", "", "ops-on-call")
    clock.now += 61
    late = await oidc.post("/token", data=_exchange(code, verifier))
    assert late.status_code == 400 and late.json()["error"] == "invalid_grant"


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"grant_type": "password"}, "unsupported_grant_type"),
        ({"client_id": "someone-else"}, "invalid_client"),
        ({"redirect_uri": "http://127.0.0.1:8106/elsewhere"}, "invalid_grant"),
        ({"code_verifier": ""}, "invalid_request"),
    ],
)
async def test_a_flawed_token_request_gets_the_rfc_error(
    oidc: httpx.AsyncClient, changes: dict[str, str], error: str
):
    verifier, challenge = _pkce()
    code = await _sign_in(oidc, challenge, "coordinator", "", "co-network")
    answer = await oidc.post("/token", data=_exchange(code, verifier, **changes))
    assert answer.status_code == 400
    assert answer.json()["error"] == error and answer.json()["error_description"]


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize(
    "changes",
    [{"redirect_uri": "https://attacker.example/cb"}, {"client_id": "unknown-client"}],
)
async def test_an_unregistered_client_or_redirect_gets_a_page_and_no_redirect(
    oidc: httpx.AsyncClient, method: str, changes: dict[str, str]
):
    params = {**_authorize_params(_pkce()[1], **changes), "role": "ops", "person": "ops-on-call"}
    if method == "GET":
        answer = await oidc.get("/authorize", params=params)
    else:
        answer = await oidc.post("/authorize", data=params)
    assert answer.status_code == 400
    assert "location" not in answer.headers
    assert "Sign-in refused" in answer.text
    assert "<a " not in answer.text and "http-equiv" not in answer.text  # nothing to follow


async def test_a_request_without_a_code_challenge_is_sent_back_with_an_error(
    oidc: httpx.AsyncClient,
):
    answer = await oidc.get("/authorize", params=_authorize_params("-"))
    assert answer.status_code == 303
    query = parse_qs(urlsplit(answer.headers["location"]).query)
    assert query["error"] == ["invalid_request"] and "code" not in query
    assert "code_challenge" in query["error_description"][0]
    assert query["state"] == ["state-1"]


async def test_a_form_without_a_role_is_shown_again_with_the_reason(oidc: httpx.AsyncClient):
    page = await oidc.get("/authorize", params=_authorize_params(_pkce()[1]))
    fields = {name: html.unescape(value) for name, value in HIDDEN.findall(page.text)}
    answer = await oidc.post("/authorize", data={**fields, "role": "admin", "person": "x"})
    assert answer.status_code == 400 and "location" not in answer.headers
    assert "choose a role" in answer.text


async def test_sign_out_returns_only_to_a_registered_origin(oidc: httpx.AsyncClient):
    found = (await oidc.get("/.well-known/openid-configuration")).json()
    assert found["end_session_endpoint"] == f"{BASE}/logout"
    home = "http://127.0.0.1:8106/"
    back = await oidc.get("/logout", params={"post_logout_redirect_uri": home, "state": "s"})
    assert back.status_code == 303 and back.headers["location"] == f"{home}?state=s"
    away = await oidc.get("/logout", params={"post_logout_redirect_uri": "https://else.example/"})
    assert away.status_code == 200 and "location" not in away.headers
    assert "signed out" in away.text


async def test_a_confidential_client_must_send_its_secret(tmp_path: Path, clock: Clock):
    options = DevOidcOptions(
        public_url=BASE,
        issuer_dir=tmp_path / "dev-issuer",
        clients={"saathi-console": Client("saathi-console", (CALLBACK,), secret="s3cret")},
    )
    transport = httpx.ASGITransport(app=create_app(options, clock=clock))
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as oidc:
        verifier, challenge = _pkce()
        code = await _sign_in(oidc, challenge, "coordinator", "", "co-network")
        refused = await oidc.post("/token", data=_exchange(code, verifier))
        assert refused.json()["error"] == "invalid_client"
        code = await _sign_in(oidc, challenge, "coordinator", "", "co-network")
        form = _exchange(code, verifier, client_secret="s3cret")
        assert (await oidc.post("/token", data=form)).status_code == 200
