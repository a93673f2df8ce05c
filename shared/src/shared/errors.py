"""Domain errors every service maps to HTTP the same way, and how the API documents them."""

from typing import Any

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"description": "Unknown purpose of use (X-Saathi-Purpose)"},
    401: {"description": "No valid bearer token"},
    403: {"description": "The caller's role may not do this, or not at that branch"},
    404: {"description": "No such record"},
    409: {"description": "Not allowed in the record's current state"},
    422: {"description": "Invalid request; the detail says which field and why"},
    503: {"description": "The audit trail could not be written: nothing was done or shown"},
}


class DomainError(Exception):
    """A rule refused the request; `reason` is shown to the caller."""

    status_code = 409

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class NotFound(DomainError):
    """The record does not exist (or is not visible to the caller)."""

    status_code = 404


class Conflict(DomainError):
    """The record is in a state that does not allow this change."""

    status_code = 409


class Invalid(DomainError):
    """The request is well-formed but names something that does not fit (e.g. unknown branch)."""

    status_code = 422


class Forbidden(DomainError):
    """The caller may see the record but not take this action on it."""

    status_code = 403


class StartupError(RuntimeError):
    """A dependency is missing at start; the message says what to do."""
