"""Field types the services' HTTP schemas share, so every service validates them the same way."""

from typing import Annotated

from fastapi import Path
from pydantic import Field

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
