"""The dev OIDC issuer's pure rules: the PKCE S256 check, which authorization requests it
accepts, and codes that work once and expire."""

from collections.abc import Mapping

import pytest

from saathi_stack.dev_oidc.domain import (
    AuthorizationRequest,
    ClientProblem,
    CodeStore,
    RequestProblem,
    check_request,
    pkce_matches,
    s256,
)
from saathi_stack.dev_oidc.options import Client

# RFC 7636 appendix B.
RFC_VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
RFC_CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
CLIENTS = {"console": Client("console", ("http://127.0.0.1:8106/auth/callback",))}


def _params(**changes: str) -> Mapping[str, str]:
    params = {
        "response_type": "code",
        "client_id": "console",
        "redirect_uri": "http://127.0.0.1:8106/auth/callback",
        "scope": "openid profile",
        "state": "s1",
        "nonce": "n1",
        "code_challenge": RFC_CHALLENGE,
        "code_challenge_method": "S256",
    }
    return {name: value for name, value in {**params, **changes}.items() if value != "-"}


def test_the_rfc_example_verifier_matches_its_challenge():
    assert s256(RFC_VERIFIER) == RFC_CHALLENGE
    assert pkce_matches(RFC_VERIFIER, RFC_CHALLENGE)


@pytest.mark.parametrize(
    "verifier",
    [
        RFC_VERIFIER[:-1] + "l",  # another verifier
        RFC_CHALLENGE,  # the challenge itself
        "short",  # under 43 characters
        "a" * 129,  # over 128
        RFC_VERIFIER[:-1] + "+",  # not an unreserved character
    ],
)
def test_anything_but_the_verifier_is_refused(verifier: str):
    assert not pkce_matches(verifier, RFC_CHALLENGE)


def test_a_good_request_is_accepted_with_its_state_and_nonce():
    request = check_request(CLIENTS, _params())
    assert (request.state, request.nonce, request.code_challenge) == ("s1", "n1", RFC_CHALLENGE)


@pytest.mark.parametrize(
    "changes",
    [{"client_id": "other"}, {"redirect_uri": "http://127.0.0.1:8106/auth/callback/"}],
)
def test_an_unknown_client_or_redirect_uri_is_a_client_problem(changes: dict[str, str]):
    with pytest.raises(ClientProblem):
        check_request(CLIENTS, _params(**changes))


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"code_challenge": "-"}, "invalid_request"),
        ({"code_challenge_method": "plain"}, "invalid_request"),
        ({"code_challenge_method": "-"}, "invalid_request"),
        ({"code_challenge": "too-short"}, "invalid_request"),
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"scope": "profile"}, "invalid_scope"),
    ],
)
def test_a_flawed_request_says_what_to_fix(changes: dict[str, str], error: str):
    with pytest.raises(RequestProblem) as problem:
        check_request(CLIENTS, _params(**changes))
    assert problem.value.error == error


def test_a_code_works_once_and_not_after_it_expires():
    now = [1000.0]
    store = CodeStore(lambda: now[0])
    request = AuthorizationRequest("console", "http://x/cb", "s", "n", RFC_CHALLENGE)
    code = store.issue(request, "co-kol-behala", "coordinator", "kol-behala", ttl_s=60)
    grant = store.redeem(code)
    assert grant is not None and grant.subject == "co-kol-behala"
    assert store.redeem(code) is None
    late = store.issue(request, "co-kol-behala", "coordinator", None, ttl_s=60)
    now[0] += 60
    assert store.redeem(late) is None
