"""Field types the services' HTTP schemas share, so every service validates them the same way."""

from datetime import date, datetime, time
from typing import Annotated

from fastapi import Path, Query
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BeforeValidator,
    Field,
    Strict,
    WithJsonSchema,
)

LanguageCode = Annotated[
    str,
    Field(
        min_length=2,
        max_length=16,
        pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$",
        description="BCP 47 language tag, e.g. bn, hi, en",
    ),
]
Code = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9._:-]+$",
        description="an identifier such as a branch, ward or visit number",
    ),
]
RecordId = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")]
# The same rule for an id in a URL path (a path parameter needs FastAPI's own marker).
RecordIdPath = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")]
Label = Annotated[str, Field(min_length=1, max_length=64)]
# How far a list can be paged: beyond this a database integer overflows (found by schemathesis).
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="rows to skip")]


def _without_offset(value: time) -> time:
    if value.tzinfo is not None:
        raise ValueError("a local time at the branch, without a UTC offset (e.g. 16:00)")
    return value


LocalTime = Annotated[
    time,
    Strict(False),  # request bodies are strict, but JSON has no times: they come as text
    AfterValidator(_without_offset),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$",
            "description": "local time at the branch, HH:MM[:SS]",
        }
    ),
]


def _as_text(kind: type, example: str) -> BeforeValidator:
    def check(value: object) -> object:
        # JSON has no dates: a number would be taken as Unix seconds, silently.
        if not isinstance(value, str | kind):
            raise ValueError(f"an ISO 8601 {kind.__name__} as text, e.g. {example}")
        return value

    return BeforeValidator(check)


Moment = Annotated[AwareDatetime, Strict(False), _as_text(datetime, "2026-12-03T15:00:00+05:30")]
Day = Annotated[date, Strict(False), _as_text(date, "2026-12-03")]
