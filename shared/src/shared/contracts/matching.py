"""Events produced by matching: matches and the waitlist."""

from datetime import datetime
from typing import ClassVar, Literal

from shared.contracts.envelope import AggregateState, Event


class MatchState(AggregateState):
    """A patient ↔ mentor pairing for one episode."""

    match_id: str
    episode_id: str
    patient_ref: str
    mentor_id: str
    branch: str
    status: Literal["active", "ended"]
    matched_at: datetime
    ended_at: datetime | None = None
    ended_reason: str | None = None


class WaitlistState(AggregateState):
    """A patient waiting for a mentor with room."""

    episode_id: str
    patient_ref: str
    branch: str
    language: str
    status: Literal["waiting", "matched", "withdrawn"]
    since: datetime


class MatchMade(Event):
    """A mentor was matched to a patient."""

    SOURCE: ClassVar[str] = "matching"
    SUBJECT: ClassVar[str] = "matching.match.made.v1"
    type: Literal["matching.match.made"] = "matching.match.made"
    schema_version: Literal[1] = 1
    data: MatchState


class MatchEnded(Event):
    """A match ended (discharge, cancellation, consent withdrawn, transfer)."""

    SOURCE: ClassVar[str] = "matching"
    SUBJECT: ClassVar[str] = "matching.match.ended.v1"
    type: Literal["matching.match.ended"] = "matching.match.ended"
    schema_version: Literal[1] = 1
    data: MatchState


class MatchWaitlisted(Event):
    """No eligible mentor had room; the patient waits."""

    SOURCE: ClassVar[str] = "matching"
    SUBJECT: ClassVar[str] = "matching.match.waitlisted.v1"
    type: Literal["matching.match.waitlisted"] = "matching.match.waitlisted"
    schema_version: Literal[1] = 1
    data: WaitlistState
