"""Events produced by matching: matches and the waitlist."""

from datetime import date, datetime
from typing import ClassVar, Literal

from pydantic import Field

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


class MatchContinuationState(MatchState):
    """A match and whether it continues past discharge into aftercare (until when)."""

    continues_until: datetime | None


class WaitlistState(AggregateState):
    """A patient waiting for a mentor with room."""

    episode_id: str
    patient_ref: str
    branch: str
    language: str
    status: Literal["waiting", "matched", "withdrawn"]
    since: datetime


class MatchProposalState(AggregateState):
    """A match waiting for a coordinator's review (branches in review mode) or the mentor's
    supervisor's sign-off (high-risk patients) before it is made."""

    match_id: str
    episode_id: str
    patient_ref: str
    mentor_id: str
    branch: str
    status: Literal["proposed", "approved", "rejected", "withdrawn"]
    awaiting: list[Literal["coordinator", "supervisor"]]
    supervisor_id: str | None = None
    proposed_at: datetime
    review_due_at: datetime
    escalated_at: datetime | None = None
    ended_reason: str | None = None


class _ProposalEvent(Event):
    SOURCE: ClassVar[str] = "matching"
    data: MatchProposalState


class MatchProposed(_ProposalEvent):
    """A match awaits review or sign-off; the mentor's place is held meanwhile."""

    SUBJECT: ClassVar[str] = "matching.match.proposed.v1"
    type: Literal["matching.match.proposed"] = "matching.match.proposed"
    schema_version: Literal[1] = 1


class MatchProposalReviewed(_ProposalEvent):
    """A coordinator or supervisor approved or rejected a proposal (`approved` once nobody is
    awaited any more; `matching.match.made` follows in the same transaction)."""

    SUBJECT: ClassVar[str] = "matching.match.proposal_reviewed.v1"
    type: Literal["matching.match.proposal_reviewed"] = "matching.match.proposal_reviewed"
    schema_version: Literal[1] = 1


class MatchProposalEscalated(_ProposalEvent):
    """Nobody reviewed a proposal by its deadline: it goes to the branch lead."""

    SUBJECT: ClassVar[str] = "matching.match.proposal_escalated.v1"
    type: Literal["matching.match.proposal_escalated"] = "matching.match.proposal_escalated"
    schema_version: Literal[1] = 1


class MatchProposalWithdrawn(_ProposalEvent):
    """A proposal can no longer stand (discharge, consent withdrawn, the mentor stepped back …)."""

    SUBJECT: ClassVar[str] = "matching.match.proposal_withdrawn.v1"
    type: Literal["matching.match.proposal_withdrawn"] = "matching.match.proposal_withdrawn"
    schema_version: Literal[1] = 1


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


class MatchContinuationChanged(Event):
    """On discharge the match continues into aftercare (`continues_until` set), or a cancelled
    discharge brings it back to an inpatient match (`continues_until` null)."""

    SOURCE: ClassVar[str] = "matching"
    SUBJECT: ClassVar[str] = "matching.match.continuation_changed.v1"
    type: Literal["matching.match.continuation_changed"] = "matching.match.continuation_changed"
    schema_version: Literal[1] = 1
    data: MatchContinuationState


class WaitlistLeft(Event):
    """A patient left the waitlist: matched, or no longer waiting (discharged, consent
    withdrawn, admission cancelled)."""

    SOURCE: ClassVar[str] = "matching"
    SUBJECT: ClassVar[str] = "matching.waitlist.left.v1"
    type: Literal["matching.waitlist.left"] = "matching.waitlist.left"
    schema_version: Literal[1] = 1
    data: WaitlistState


class MatchWaitlisted(Event):
    """No eligible mentor had room; the patient waits."""

    SOURCE: ClassVar[str] = "matching"
    SUBJECT: ClassVar[str] = "matching.match.waitlisted.v1"
    type: Literal["matching.match.waitlisted"] = "matching.match.waitlisted"
    schema_version: Literal[1] = 1
    data: WaitlistState


# The branch mentor events carry: every branch shares the pool, so they belong to none.
POOL_BRANCH = "shared-pool"


class MentorState(AggregateState):
    """What other services need of a mentor in the shared pool: whether they may work, where,
    in which languages, their certification and supervisor (no name, no lived experience)."""

    mentor_id: str
    status: Literal["active", "trainee", "on_leave", "suspended", "retired"]
    languages: list[str]
    branches: list[str]
    remote_ok: bool
    certified_until: date | None  # earliest core certification expiry; None while one is missing
    crisis_certified_until: date | None
    supervisor_id: str | None
    updated_at: datetime


class MentorChanged(Event):
    """A mentor joined the pool or their profile changed (status, certifications, places …)."""

    SOURCE: ClassVar[str] = "matching"
    SUBJECT: ClassVar[str] = "matching.mentor.changed.v1"
    type: Literal["matching.mentor.changed"] = "matching.mentor.changed"
    schema_version: Literal[1] = 1
    data: MentorState


class CertificationLapsingState(AggregateState):
    """A mentor's certification that lapses within the notice window, announced once per
    mentor, certification and expiry date (a renewal with a new date is announced anew)."""

    mentor_id: str
    branches: list[str]  # the branches the mentor serves: their coordinators are told
    certification: str  # the kind, e.g. crisis_response
    expires_on: date
    days_left: int = Field(ge=0)


class CertificationLapsing(Event):
    """A mentor's certification entered the notice window: renew it before it lapses, or the
    mentor steps back from matching (crisis cover, or every mentee for a core one)."""

    SOURCE: ClassVar[str] = "matching"
    SUBJECT: ClassVar[str] = "matching.mentor.certification_lapsing.v1"
    type: Literal["matching.mentor.certification_lapsing"] = "matching.mentor.certification_lapsing"
    schema_version: Literal[1] = 1
    data: CertificationLapsingState


class SupervisionRatioState(AggregateState):
    """A supervisor carrying more mentors than the supervision ratio allows; `version` counts
    the crossings (one event each time they go over, none while they stay over)."""

    supervisor_id: str
    branches: list[str]  # the branches their mentors serve: their coordinators are told
    mentors: int = Field(ge=0)
    ratio: int = Field(ge=1)
    over_since: datetime


class SupervisorOverRatio(Event):
    """A supervisor went over the supervision ratio (mentors not retired per supervisor)."""

    SOURCE: ClassVar[str] = "matching"
    SUBJECT: ClassVar[str] = "matching.supervisor.over_ratio.v1"
    type: Literal["matching.supervisor.over_ratio"] = "matching.supervisor.over_ratio"
    schema_version: Literal[1] = 1
    data: SupervisionRatioState
