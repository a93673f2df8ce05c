"""Domain errors every service maps to HTTP the same way."""


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
