"""The console's session cookie and sign-in pieces: sealed so nobody reads or forges it,
refused when old or expired; PKCE per RFC 7636; only this console's paths to return to."""

import time

from console.auth.api import _local_path
from console.auth.pkce import challenge, new_verifier
from console.auth.session import Sealer, Visitor

VISITOR = Visitor(
    "dr-1", "clinician", "kol-behala", "Dr One", "token", "csrf", time.time() + 86_400
)


def test_a_sealed_session_opens_only_with_the_same_secret_and_unaltered():
    sealer = Sealer("s" * 40)
    sealed = sealer.seal_visitor(VISITOR)
    assert sealer.open_visitor(sealed, 3600) == VISITOR
    assert "token" not in sealed and "dr-1" not in sealed  # encrypted, not just signed
    assert Sealer("t" * 40).open_visitor(sealed, 3600) is None
    tampered = sealed[:-4] + ("AAAA" if not sealed.endswith("AAAA") else "BBBB")
    assert sealer.open_visitor(tampered, 3600) is None
    assert sealer.open_visitor(None, 3600) is None and sealer.open_visitor("junk", 3600) is None


def test_an_expired_token_ends_the_session():
    sealer = Sealer("s" * 40)
    gone = Visitor(
        *[getattr(VISITOR, f) for f in ("subject", "role", "branch", "name", "token", "csrf")],
        time.time() - 1,
    )
    assert sealer.open_visitor(sealer.seal_visitor(gone), 3600) is None


def test_pkce_s256_matches_the_rfc_example_and_verifiers_are_fresh():
    assert challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == (
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    )
    first, second = new_verifier(), new_verifier()
    assert first != second and 43 <= len(first) <= 128


def test_only_local_paths_are_returned_to_after_sign_in():
    assert _local_path("/duty?x=1") == "/duty?x=1"
    for hostile in ("https://evil.example/", "//evil.example/x", "/\\evil.example", None, ""):
        assert _local_path(hostile) == "/"
