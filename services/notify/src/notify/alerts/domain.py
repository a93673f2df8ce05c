"""Pure rules of alerts: what an event asks of whom, and how a notification's state moves."""

from dataclasses import dataclass
from datetime import datetime

from shared.contracts.aftercare import FollowUpState
from shared.contracts.matching import MatchProposalState
from shared.contracts.sessions import CrisisState, MissedSessionState
from shared.errors import DomainError

OPEN = ("queued", "sent", "delivered", "failed")
SETTLED = ("acknowledged", "closed")
# How far a notification has got; a later step never moves it back.
PROGRESS = {"queued": 0, "failed": 1, "sent": 2, "delivered": 3}


class Gone(DomainError):
    """The notification was acknowledged or closed already (e.g. a second use of a link)."""

    status_code = 410


@dataclass(frozen=True)
class Alert:
    """What an event asks: of which named people, or of which roles at a branch."""

    kind: str
    branch: str | None
    subject_id: str
    title: str  # no patient data: kind, severity, branch
    person_ids: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    severity: str | None = None
    deadline_at: datetime | None = None


def crisis_alert(crisis: CrisisState, escalated: bool) -> Alert:
    """The person the duty chain alerts now (the network coordinators if the chain is empty)."""
    step = f" (escalated, level {crisis.level})" if escalated else ""
    return Alert(
        kind="crisis",
        branch=crisis.branch,
        subject_id=crisis.crisis_id,
        title=f"Crisis alert: {crisis.severity} severity at {crisis.branch}{step}",
        person_ids=(crisis.notified_person_id,) if crisis.notified_person_id else (),
        roles=() if crisis.notified_person_id else ("coordinator",),
        severity=crisis.severity,
        deadline_at=crisis.deadline_at,
    )


def proposal_alert(proposal: MatchProposalState) -> Alert:
    """A proposal waiting: the named supervisor's sign-off and/or the branch's coordinators."""
    named = (
        (proposal.supervisor_id,)
        if "supervisor" in proposal.awaiting and proposal.supervisor_id
        else ()
    )
    roles = ("coordinator",) if "coordinator" in proposal.awaiting or not named else ()
    return Alert(
        kind="proposal",
        branch=proposal.branch,
        subject_id=proposal.match_id,
        title=f"A match proposal is waiting for review at {proposal.branch}",
        person_ids=named,
        roles=roles,
        deadline_at=proposal.review_due_at,
    )


def waitlist_alert(branch: str, subject_id: str, waiting_for: str) -> Alert:
    """A coordinator task: a patient is waiting for a mentor or an outpatient group."""
    return Alert(
        kind="coordinator_task",
        branch=branch,
        subject_id=subject_id,
        title=f"Coordinator task at {branch}: a patient is waiting for {waiting_for}",
        roles=("coordinator",),
    )


def missed_session_alert(session: MissedSessionState) -> Alert:
    """Outreach for the mentor whose session nobody attended."""
    return Alert(
        kind="outreach",
        branch=None,
        subject_id=session.session_id,
        title="Outreach: a session with your mentee was missed",
        person_ids=(session.mentor_id,),
    )


def missed_follow_up_alert(follow_up: FollowUpState, mentor_id: str | None) -> Alert:
    """Outreach for a follow-up whose window closed: the mentor, or the branch's coordinators
    when notify knows of no mentor."""
    window = "7-day" if follow_up.kind == "day_7" else "30-day"
    return Alert(
        kind="outreach",
        branch=follow_up.branch,
        subject_id=follow_up.follow_up_id,
        title=f"Outreach: a {window} follow-up after discharge was missed at {follow_up.branch}",
        person_ids=(mentor_id,) if mentor_id else (),
        roles=() if mentor_id else ("coordinator",),
    )


def dead_letter_alert(consumer: str, sequence: int) -> Alert:
    """A message no consumer could apply waits for ops (replay or discard)."""
    return Alert(
        kind="dead_letter",
        branch=None,
        subject_id=f"deadletter-{sequence}",
        title=f"A message needs a human: dead letter #{sequence} from {consumer}",
        roles=("ops",),
    )


def advanced(state: str, to: str) -> str:
    """The state after a delivery step (`sent`, `delivered`, `failed`); never backwards, and
    never out of acknowledged or closed."""
    if state in SETTLED or PROGRESS[to] <= PROGRESS[state]:
        return state
    return to
