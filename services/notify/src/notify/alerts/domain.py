"""Pure rules of alerts: what an event asks of whom, and how a notification's state moves."""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from math import ceil

from notify.channels.facts import SHAPES
from shared.contracts.aftercare import FollowUpState
from shared.contracts.matching import (
    CertificationLapsingState,
    MatchProposalState,
    SupervisionRatioState,
)
from shared.contracts.sessions import CrisisState, MissedSessionState, WellbeingSupportState
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
    """What an event asks: of which named people, or of which roles at a branch. `facts` are
    what its texts may say (the allow-list of channels/facts.py: codes, refs, numbers, times)."""

    kind: str
    branch: str | None
    subject_id: str
    facts: Mapping[str, str]
    person_ids: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    severity: str | None = None
    deadline_at: datetime | None = None


def _utc(moment: datetime) -> datetime:
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def _deadline(deadline_at: datetime | None, zone: str) -> dict[str, str]:
    """A deadline as facts: the moment (ISO 8601, UTC) and the zone it is shown in."""
    return {} if deadline_at is None else {"deadline": _utc(deadline_at).isoformat(), "zone": zone}


def crisis_alert(crisis: CrisisState, escalated: bool, now: datetime, zone: str) -> Alert:
    """The person the duty chain alerts now (the network coordinators if the chain is empty)."""
    facts = {"severity": crisis.severity, "branch": crisis.branch, "ref": crisis.crisis_id}
    facts |= _deadline(crisis.deadline_at, zone)
    if crisis.deadline_at is not None:
        left_s = (_utc(crisis.deadline_at) - _utc(now)).total_seconds()
        facts["ack_within_min"] = str(min(9999, max(0, ceil(left_s / 60))))
    if escalated:
        facts["step"] = str(crisis.level + 1)  # level counts from 0: the first link is step 1
    return Alert(
        kind="crisis",
        branch=crisis.branch,
        subject_id=crisis.crisis_id,
        facts=facts,
        person_ids=(crisis.notified_person_id,) if crisis.notified_person_id else (),
        roles=() if crisis.notified_person_id else ("coordinator",),
        severity=crisis.severity,
        deadline_at=crisis.deadline_at,
    )


def proposal_alert(proposal: MatchProposalState, zone: str) -> Alert:
    """A proposal waiting: the named supervisor's sign-off and/or the branch's coordinators."""
    named = (
        (proposal.supervisor_id,)
        if "supervisor" in proposal.awaiting and proposal.supervisor_id
        else ()
    )
    roles = ("coordinator",) if "coordinator" in proposal.awaiting or not named else ()
    facts = {"branch": proposal.branch, "ref": proposal.match_id}
    return Alert(
        kind="proposal",
        branch=proposal.branch,
        subject_id=proposal.match_id,
        facts=facts | _deadline(proposal.review_due_at, zone),
        person_ids=named,
        roles=roles,
        deadline_at=proposal.review_due_at,
    )


def waitlist_alert(branch: str, subject_id: str, task: str) -> Alert:
    """A coordinator task: a patient waits for a mentor (`waitlist`) or an outpatient group
    (`no_group`)."""
    return Alert(
        kind="coordinator_task",
        branch=branch,
        subject_id=subject_id,
        facts={"branch": branch, "task": task, "ref": subject_id},
        roles=("coordinator",),
    )


def missed_session_alert(session: MissedSessionState) -> Alert:
    """Outreach for the mentor whose session nobody attended (sessions does not say where)."""
    task = "missed_first_meeting" if session.kind == "introduction" else "missed_session"
    return Alert(
        kind="outreach",
        branch=None,
        subject_id=session.session_id,
        facts={"task": task, "ref": session.session_id},
        person_ids=(session.mentor_id,),
    )


def missed_follow_up_alert(follow_up: FollowUpState, mentor_id: str | None) -> Alert:
    """Outreach for a follow-up whose window closed: the mentor, or the branch's coordinators
    when notify knows of no mentor."""
    return Alert(
        kind="outreach",
        branch=follow_up.branch,
        subject_id=follow_up.follow_up_id,
        facts={
            "branch": follow_up.branch,
            "task": "follow_up_due",
            "ref": follow_up.follow_up_id,
            "days": "7" if follow_up.kind == "day_7" else "30",
        },
        person_ids=(mentor_id,) if mentor_id else (),
        roles=() if mentor_id else ("coordinator",),
    )


def _ref(value: str | None) -> dict[str, str]:
    """A person's id as the `ref` fact, when it has the shape of a pseudonymous ref."""
    return {"ref": value} if value and SHAPES["ref"](value) else {}


def _per_branch(branches: list[str], first: Alert) -> list[Alert]:
    """`first` for the first branch, then the same alert for the coordinators of each other
    branch (no branch at all: the network's)."""
    if not branches:
        return [first]
    alerts = [replace(first, branch=branches[0], facts={**first.facts, "branch": branches[0]})]
    for branch in branches[1:]:
        alerts.append(
            replace(first, branch=branch, facts={**first.facts, "branch": branch}, person_ids=())
        )
    return alerts


def certification_alerts(lapsing: CertificationLapsingState) -> list[Alert]:
    """The mentor themself and the coordinators of every branch they serve."""
    expires_on = lapsing.expires_on.isoformat()
    first = Alert(
        kind="certification",
        branch=None,
        subject_id=f"{lapsing.mentor_id}:{lapsing.certification}:{expires_on}",
        facts={
            "certification": lapsing.certification,
            "expires_on": expires_on,
            "days": str(min(9999, lapsing.days_left)),
        }
        | _ref(lapsing.mentor_id),
        person_ids=(lapsing.mentor_id,),
        roles=("coordinator",),
    )
    return _per_branch(sorted(lapsing.branches), first)


def supervision_alerts(load: SupervisionRatioState) -> list[Alert]:
    """The coordinators of every branch the supervisor's mentors serve."""
    first = Alert(
        kind="supervision",
        branch=None,
        subject_id=load.supervisor_id,
        facts={"count": str(min(9999, load.mentors)), "ratio": str(min(9999, load.ratio))}
        | _ref(load.supervisor_id),
        roles=("coordinator",),
    )
    return _per_branch(sorted(load.branches), first)


def wellbeing_alerts(support: WellbeingSupportState) -> list[Alert]:
    """The mentor's supervisor; when matching named none, the supervisors of the mentor's
    branches (the network's coordinators if there are none)."""
    first = Alert(
        kind="wellbeing",
        branch=None,
        subject_id=support.check_id,
        facts=_ref(support.mentor_id),
        person_ids=(support.supervisor_id,) if support.supervisor_id else (),
        roles=() if support.supervisor_id else ("supervisor",),
    )
    if support.supervisor_id:
        branch = sorted(support.branches)[0] if support.branches else None
        return [replace(first, branch=branch)]
    return _per_branch(sorted(support.branches), first)


def dead_letter_alert(consumer: str, sequence: int) -> Alert:
    """A message no consumer could apply waits for ops (replay or discard). The consumer's name
    comes from a raw message's header: it is said only when it has the shape of a source."""
    facts = {"count": "1"}
    if SHAPES["source"](consumer):
        facts["source"] = consumer
    return Alert(
        kind="dead_letter",
        branch=None,
        subject_id=f"deadletter-{sequence}",
        facts=facts,
        roles=("ops",),
    )


def advanced(state: str, to: str) -> str:
    """The state after a delivery step (`sent`, `delivered`, `failed`); never backwards, and
    never out of acknowledged or closed."""
    if state in SETTLED or PROGRESS[to] <= PROGRESS[state]:
        return state
    return to
