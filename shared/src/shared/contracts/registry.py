"""Every contract by subject, and decoding of raw messages into contracts."""

from pydantic import ValidationError

from shared.contracts.aftercare import (
    AftercareEnrolled,
    AftercareEnrolmentCancelled,
    AftercareFirstAttended,
    AftercareWaitlisted,
    AlumnusJoined,
    CandidacyOpened,
    CandidacyWithdrawn,
    CandidateCertified,
    CandidateCourseCompleted,
    FollowUpCompleted,
    FollowUpMissed,
    PeerCandidateNominated,
    ReadmissionLinked,
)
from shared.contracts.envelope import Event
from shared.contracts.intake import (
    EPISODE_EVENTS,
    ConsentChanged,
    MentorLinked,
    MentorUnlinked,
    PatientErased,
    PatientMerged,
    StayConsentChanged,
)
from shared.contracts.matching import (
    CertificationLapsing,
    MatchContinuationChanged,
    MatchEnded,
    MatchMade,
    MatchProposalEscalated,
    MatchProposalReviewed,
    MatchProposalWithdrawn,
    MatchProposed,
    MatchWaitlisted,
    MentorChanged,
    SupervisorOverRatio,
    WaitlistLeft,
)
from shared.contracts.notify import AlertAcknowledged
from shared.contracts.sessions import (
    CrisisAcknowledged,
    CrisisEscalated,
    CrisisFlagged,
    CrisisResolved,
    GoalClosed,
    GoalProgressed,
    GoalSet,
    GroupChanged,
    GroupEnrolmentChanged,
    GroupMeetingCancelled,
    GroupMeetingHeld,
    GroupMeetingStaffed,
    SessionCancelled,
    SessionCompleted,
    SessionMissed,
    SessionRescheduled,
    SessionScheduled,
    WellbeingSupportRequested,
)

ALL_EVENTS: tuple[type[Event], ...] = (
    *EPISODE_EVENTS,
    ConsentChanged,
    StayConsentChanged,
    PatientMerged,
    PatientErased,
    MentorLinked,
    MentorUnlinked,
    MatchMade,
    MatchEnded,
    MatchWaitlisted,
    MatchProposed,
    MatchProposalReviewed,
    MatchProposalEscalated,
    MatchProposalWithdrawn,
    MatchContinuationChanged,
    WaitlistLeft,
    MentorChanged,
    CertificationLapsing,
    SupervisorOverRatio,
    SessionScheduled,
    SessionCompleted,
    SessionCancelled,
    SessionRescheduled,
    SessionMissed,
    CrisisFlagged,
    CrisisEscalated,
    CrisisAcknowledged,
    CrisisResolved,
    GoalSet,
    GoalProgressed,
    GoalClosed,
    GroupChanged,
    GroupEnrolmentChanged,
    GroupMeetingHeld,
    GroupMeetingStaffed,
    GroupMeetingCancelled,
    WellbeingSupportRequested,
    AftercareEnrolled,
    AftercareWaitlisted,
    AftercareEnrolmentCancelled,
    AftercareFirstAttended,
    FollowUpCompleted,
    FollowUpMissed,
    ReadmissionLinked,
    AlumnusJoined,
    CandidacyOpened,
    CandidateCourseCompleted,
    CandidateCertified,
    CandidacyWithdrawn,
    PeerCandidateNominated,
    AlertAcknowledged,
)

BY_SUBJECT: dict[str, type[Event]] = {cls.SUBJECT: cls for cls in ALL_EVENTS}


class UndecodableEvent(ValueError):
    """A message that no contract accepts; `reason` is safe to log (no payload values)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def describe_validation_error(error: ValidationError) -> str:
    """Field paths and messages only: input values may hold anything and are never echoed."""
    parts = []
    for item in error.errors(include_input=False, include_url=False)[:5]:
        location = ".".join(str(part) for part in item["loc"]) or "<root>"
        parts.append(f"{location}: {item['msg']}")
    return "; ".join(parts)


def decode(subject: str, payload: bytes) -> Event:
    """Validate a payload against the contract for its subject, or raise UndecodableEvent."""
    contract = BY_SUBJECT.get(subject)
    if contract is None:
        raise UndecodableEvent(f"no contract for subject {subject!r} (unknown type or version)")
    try:
        return contract.model_validate_json(payload)
    except ValidationError as error:
        raise UndecodableEvent(f"invalid {subject}: {describe_validation_error(error)}") from None


def encode(event: Event) -> bytes:
    """Serialise an event to its wire form (JSON)."""
    return event.model_dump_json().encode()
