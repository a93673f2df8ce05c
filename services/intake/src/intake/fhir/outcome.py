"""FHIR errors as OperationOutcome responses (never echoing submitted values)."""

from fastapi.responses import JSONResponse
from pydantic import ValidationError

FHIR_JSON = "application/fhir+json"


def operation_outcome(status: int, issues: list[tuple[str, str, str]]) -> JSONResponse:
    """An OperationOutcome with (code, diagnostics, expression) issues."""
    body = {
        "resourceType": "OperationOutcome",
        "issue": [
            {
                "severity": "error",
                "code": code,
                "diagnostics": diagnostics,
                **({"expression": [expression]} if expression else {}),
            }
            for code, diagnostics, expression in issues
        ],
    }
    return JSONResponse(body, status_code=status, media_type=FHIR_JSON)


def invalid_resource(resource: str, error: ValidationError) -> JSONResponse:
    """400 for a resource that is not valid FHIR R4; each issue names the element."""
    issues = [
        (
            "structure",
            f"{item['msg']}",
            ".".join([resource, *(str(part) for part in item["loc"])]),
        )
        for item in error.errors(include_input=False, include_url=False)
    ]
    return operation_outcome(400, issues)
