"""Events produced by sessions: 1:1 sessions, crises, goals, and peer-led groups."""

from datetime import date, datetime
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


class SessionRescheduled(_SessionEvent):
    """A scheduled session moved to another time."""

    SUBJECT: ClassVar[str] = "sessions.session.rescheduled.v1"
    type: Literal["sessions.session.rescheduled"] = "sessions.session.rescheduled"
    schema_version: Literal[1] = 1


class MissedSessionState(SessionState):
    """A session nobody attended or recorded: the mentor is prompted to follow up."""

    status: Literal["missed"]  # type: ignore[assignment]


class SessionMissed(Event):
    """A session was missed (recorded by the mentor, or nothing recorded in time)."""

    SOURCE: ClassVar[str] = "sessions"
    SUBJECT: ClassVar[str] = "sessions.session.missed.v1"
    type: Literal["sessions.session.missed"] = "sessions.session.missed"
    schema_version: Literal[1] = 1
    data: MissedSessionState


class CrisisState(AggregateState):
    """A crisis a mentor flagged, and where its escalation stands (never what was said: the
    mentor's words stay in the sessions service)."""

    crisis_id: str
    branch: str
    patient_ref: str
    mentor_id: str
    match_id: str
    severity: Literal["moderate", "high", "critical"]
    status: Literal["open", "acknowledged", "resolved"]
    level: int  # position in the duty chain of the person alerted now
    notified_person_id: str | None
    notified_role: str | None
    deadline_at: datetime | None  # when it escalates unless acknowledged
    flagged_at: datetime
    acknowledged_at: datetime | None = None
    resolved_at: datetime | None = None


class _CrisisEvent(Event):
    SOURCE: ClassVar[str] = "sessions"
    data: CrisisState


class CrisisFlagged(_CrisisEvent):
    """A mentor flagged a crisis; the first person on the branch's duty chain is alerted."""

    SUBJECT: ClassVar[str] = "sessions.crisis.flagged.v1"
    type: Literal["sessions.crisis.flagged"] = "sessions.crisis.flagged"
    schema_version: Literal[1] = 1


class CrisisEscalated(_CrisisEvent):
    """Nobody acknowledged in time: the next person on the chain is alerted."""

    SUBJECT: ClassVar[str] = "sessions.crisis.escalated.v1"
    type: Literal["sessions.crisis.escalated"] = "sessions.crisis.escalated"
    schema_version: Literal[1] = 1


class CrisisAcknowledged(_CrisisEvent):
    """Someone on the chain took the crisis on; escalation stops."""

    SUBJECT: ClassVar[str] = "sessions.crisis.acknowledged.v1"
    type: Literal["sessions.crisis.acknowledged"] = "sessions.crisis.acknowledged"
    schema_version: Literal[1] = 1


class CrisisResolved(_CrisisEvent):
    """The crisis was resolved."""

    SUBJECT: ClassVar[str] = "sessions.crisis.resolved.v1"
    type: Literal["sessions.crisis.resolved"] = "sessions.crisis.resolved"
    schema_version: Literal[1] = 1


class GoalState(AggregateState):
    """A recovery goal the patient set with their mentor (what and why stay in sessions: they
    are the patient's own words)."""

    goal_id: str
    match_id: str
    patient_ref: str
    mentor_id: str
    status: Literal["active", "achieved", "changed", "dropped"]
    progress: int  # the latest check-in, 0-100
    target_date: date | None
    set_at: datetime
    closed_at: datetime | None = None


class _GoalEvent(Event):
    SOURCE: ClassVar[str] = "sessions"
    data: GoalState


class GoalSet(_GoalEvent):
    """A patient set a recovery goal."""

    SUBJECT: ClassVar[str] = "sessions.goal.set.v1"
    type: Literal["sessions.goal.set"] = "sessions.goal.set"
    schema_version: Literal[1] = 1


class GoalProgressed(_GoalEvent):
    """A check-in recorded progress on a goal."""

    SUBJECT: ClassVar[str] = "sessions.goal.progressed.v1"
    type: Literal["sessions.goal.progressed"] = "sessions.goal.progressed"
    schema_version: Literal[1] = 1


class GoalClosed(_GoalEvent):
    """A goal was achieved, changed for another, or dropped."""

    SUBJECT: ClassVar[str] = "sessions.goal.closed.v1"
    type: Literal["sessions.goal.closed"] = "sessions.goal.closed"
    schema_version: Literal[1] = 1


class GroupState(AggregateState):
    """A peer-led group: where, for whom, who facilitates, how big, and when it meets."""

    group_id: str
    title: str
    branch: str
    setting: Literal["inpatient", "outpatient", "alumni"]
    focus: str  # e.g. depression, anxiety, bipolar, schizophrenia, general_recovery, recreation
    language: str
    capacity: int
    weekday: int  # 0 = Monday, in the branch's local time
    start_time: str  # HH:MM, branch local time
    minutes: int
    starts_on: date
    ends_on: date | None
    facilitator_ids: list[str]
    status: Literal["active", "closed"]


class GroupChanged(Event):
    """A group was set up or changed (facilitators, capacity, schedule) or closed."""

    SOURCE: ClassVar[str] = "sessions"
    SUBJECT: ClassVar[str] = "sessions.group.changed.v1"
    type: Literal["sessions.group.changed"] = "sessions.group.changed"
    schema_version: Literal[1] = 1
    data: GroupState


class GroupEnrolmentState(AggregateState):
    """A patient's place in a group."""

    group_id: str
    patient_ref: str
    branch: str
    setting: Literal["inpatient", "outpatient", "alumni"]
    status: Literal["enrolled", "left"]
    enrolled_at: datetime
    left_at: datetime | None = None
    left_reason: str | None = None


class GroupEnrolmentChanged(Event):
    """A patient joined or left a group."""

    SOURCE: ClassVar[str] = "sessions"
    SUBJECT: ClassVar[str] = "sessions.group.enrolment_changed.v1"
    type: Literal["sessions.group.enrolment_changed"] = "sessions.group.enrolment_changed"
    schema_version: Literal[1] = 1
    data: GroupEnrolmentState


class GroupMeetingState(AggregateState):
    """One meeting of a group: who facilitates, and once held, who attended."""

    meeting_id: str
    group_id: str
    branch: str
    setting: Literal["inpatient", "outpatient", "alumni"]
    starts_at: datetime
    minutes: int
    facilitator_ids: list[str]
    substitute: bool  # a substitute stands in for the group's own facilitators
    status: Literal["scheduled", "held", "cancelled"]
    attended: list[str] = []  # patient_refs, once held
    absent: list[str] = []
    cancel_reason: str | None = None
    notice_hours: float | None = None  # how long before the start the cancellation was sent


class _GroupMeetingEvent(Event):
    SOURCE: ClassVar[str] = "sessions"
    data: GroupMeetingState


class GroupMeetingHeld(_GroupMeetingEvent):
    """A group meeting took place; attendance per enrolled patient."""

    SUBJECT: ClassVar[str] = "sessions.group_meeting.held.v1"
    type: Literal["sessions.group_meeting.held"] = "sessions.group_meeting.held"
    schema_version: Literal[1] = 1


class GroupMeetingStaffed(_GroupMeetingEvent):
    """Who facilitates a coming meeting changed (a substitute stands in, or the group's own
    facilitator is back)."""

    SUBJECT: ClassVar[str] = "sessions.group_meeting.staffed.v1"
    type: Literal["sessions.group_meeting.staffed"] = "sessions.group_meeting.staffed"
    schema_version: Literal[1] = 1


class GroupMeetingCancelled(_GroupMeetingEvent):
    """A meeting was cancelled (no facilitator could stand in, or the group closed); enrolled
    patients are told with the notice given."""

    SUBJECT: ClassVar[str] = "sessions.group_meeting.cancelled.v1"
    type: Literal["sessions.group_meeting.cancelled"] = "sessions.group_meeting.cancelled"
    schema_version: Literal[1] = 1


class WellbeingSupportState(AggregateState):
    """A mentor asked for support in a wellbeing check (no score, no words: those stay in
    sessions; the supervisor reads them there)."""

    check_id: str
    mentor_id: str
    supervisor_id: str | None  # as matching last said; None: the branches' supervisors
    branches: list[str]
    requested_at: datetime


class WellbeingSupportRequested(Event):
    """A mentor's wellbeing check asks for support: their supervisor is told."""

    SOURCE: ClassVar[str] = "sessions"
    SUBJECT: ClassVar[str] = "sessions.wellbeing.support_requested.v1"
    type: Literal["sessions.wellbeing.support_requested"] = "sessions.wellbeing.support_requested"
    schema_version: Literal[1] = 1
    data: WellbeingSupportState
