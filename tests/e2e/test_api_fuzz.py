"""Schemathesis against every service's OpenAPI, on the running stack: generated valid and
invalid requests, with a valid token, a token for another branch and role, and a token from
another issuer. No answer is a 5xx, every status and body is one the OpenAPI documents, and
invalid input is refused with a 4xx."""

import asyncio
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from e2e.flow import seed
from saathi_stack.dev_issuer import DevIssuer

pytestmark = pytest.mark.e2e
SERVICES = ("intake", "matching", "sessions", "aftercare", "notify")
# Not request and response: notify's live feed streams until the client goes away.
STREAMS = ("/notifications/stream",)
EXAMPLES = 20  # per operation, mode and token
CONFORMANCE = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def fuzz(base_url: str, headers: dict[str, str], mode: GenerationMode) -> list[str]:
    """Run every operation with generated requests; the first failure of each, as lines."""
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    checks = (
        [*CONFORMANCE, negative_data_rejection] if mode is GenerationMode.NEGATIVE else CONFORMANCE
    )
    found: dict[str, str] = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path in ("/healthz", "/readyz", *STREAMS):
            continue

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def call(case: Any) -> None:
            response = case.call(base_url=base_url, headers=headers, timeout=15)
            try:
                case.validate_response(response, checks=checks)
            except (Failure, FailureGroup) as failure:
                label = case.operation.label
                found.setdefault(label, f"{label} {response.status_code}: {str(failure)[:400]}")

        try:
            call()
        except Unsatisfiable:
            # Negative mode on an operation with no input to make invalid (e.g. no parameters).
            if mode is not GenerationMode.NEGATIVE:
                raise
    return list(found.values())


async def test_generated_requests_never_break_any_service(stack, tmp_path):
    async with httpx.AsyncClient(timeout=10, headers=stack.auth_headers()) as client:
        await seed(client, stack, mentors_per_branch=1, capacity=3)
    stranger = DevIssuer.ensure(tmp_path / "another-issuer")
    tokens = {
        "network coordinator": stack.auth_headers(),
        "clinician elsewhere": stack.auth_headers("clinician", "kol-elsewhere"),
        "another issuer": {"Authorization": f"Bearer {stranger.mint('coordinator')}"},
    }
    failures: list[str] = []
    for service in SERVICES:
        for who, headers in tokens.items():
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                found = await asyncio.to_thread(fuzz, stack.url(service), headers, mode)
                failures += [f"{service} as {who}, {mode.value}: {line}" for line in found]
    assert not failures, "\n".join(failures)
