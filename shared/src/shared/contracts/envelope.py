"""The event envelope: CloudEvents-style attributes around a versioned aggregate state."""

import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, Field

STRICT = ConfigDict(frozen=True, extra="forbid", strict=True)


class Contract(BaseModel):
    """Base of every payload model: immutable, strict, no unknown fields."""

    model_config = STRICT


class AggregateState(Contract):
    """Event-carried state of one aggregate; `version` is incremented by its single writer."""

    version: int = Field(ge=1)


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


class Event(Contract):
    """Envelope shared by every event. Subclasses fix `type`, `schema_version` and `data`."""

    SUBJECT: ClassVar[str]
    SOURCE: ClassVar[str]

    event_id: uuid.UUID
    type: str
    source: str
    occurred_at: datetime
    schema_version: int
    branch: str
    correlation_id: str
    data: Any

    @classmethod
    def new(cls, data: AggregateState, *, branch: str, correlation_id: str | None = None) -> Self:
        """Build an event with a fresh id; correlation defaults to the event's own id."""
        event_id = uuid.uuid4()
        fields = cls.model_fields
        return cls(
            event_id=event_id,
            type=fields["type"].default,
            source=cls.SOURCE,
            occurred_at=utcnow(),
            schema_version=fields["schema_version"].default,
            branch=branch,
            correlation_id=correlation_id or str(event_id),
            data=data,
        )

    @property
    def aggregate_version(self) -> int:
        """Version of the aggregate state this event carries."""
        return int(self.data.version)
