"""A token issuer for tests: services trust its JWKS; requests carry its tokens."""

import tempfile
from pathlib import Path

from saathi_stack.dev_issuer import DevIssuer

TEST_ISSUER = DevIssuer.ensure(Path(tempfile.mkdtemp(prefix="saathi-test-issuer-")))


def bearer(
    role: str = "coordinator", branch: str | None = None, subject: str | None = None
) -> dict[str, str]:
    """The Authorization header of a fresh token in `role` at `branch` (None: every branch;
    a coordinator of the whole network is what most tests act as)."""
    return {"Authorization": f"Bearer {TEST_ISSUER.mint(role, branch, subject)}"}
