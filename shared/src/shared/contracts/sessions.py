"""Events produced by sessions: 1:1 session lifecycle."""

from datetime import datetime
from typing import ClassVar, Literal

from shared.contracts.envelope import AggregateState, Event


class SessionState(AggregateState):
    """A peer-support session (no notes: those stay in the sessions service)."""

    session_id: str
    match_id: str
    episode_id: str
    patient_ref: str
    mentor_id: str
    kind: Literal["introduction", "one_to_one"]
    status: Literal["scheduled", "completed", "cancelled"]
    scheduled_for: datetime
    attended: bool | None = None
    duration_minutes: int | None = None


class _SessionEvent(Event):
    SOURCE: ClassVar[str] = "sessions"
    data: SessionState


class SessionScheduled(_SessionEvent):
    """A session was scheduled."""

    SUBJECT: ClassVar[str] = "sessions.session.scheduled.v1"
    type: Literal["sessions.session.scheduled"] = "sessions.session.scheduled"
    schema_version: Literal[1] = 1


class SessionCompleted(_SessionEvent):
    """A session took place (or was recorded as not attended)."""

    SUBJECT: ClassVar[str] = "sessions.session.completed.v1"
    type: Literal["sessions.session.completed"] = "sessions.session.completed"
    schema_version: Literal[1] = 1


class SessionCancelled(_SessionEvent):
    """A scheduled session was cancelled (e.g. the match ended)."""

    SUBJECT: ClassVar[str] = "sessions.session.cancelled.v1"
    type: Literal["sessions.session.cancelled"] = "sessions.session.cancelled"
    schema_version: Literal[1] = 1
