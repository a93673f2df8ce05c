"""Events produced by aftercare: enrolment, first attendance, follow-ups, readmissions, and
alumni nominated as mentors."""

from datetime import date, datetime
from typing import ClassVar, Literal

from shared.contracts.envelope import AggregateState, Contract, Event


class EnrolmentState(AggregateState):
    """A discharged patient's place in an outpatient peer-led group."""

    enrolment_id: str
    episode_id: str
    patient_ref: str
    branch: str
    group_id: str | None
    status: Literal["enrolled", "waitlisted", "cancelled"]
    updated_at: datetime
    reason: str | None = None


class _EnrolmentEvent(Event):
    SOURCE: ClassVar[str] = "aftercare"
    data: EnrolmentState


class AftercareEnrolled(_EnrolmentEvent):
    """A discharged patient was enrolled in an outpatient group."""

    SUBJECT: ClassVar[str] = "aftercare.enrolment.enrolled.v1"
    type: Literal["aftercare.enrolment.enrolled"] = "aftercare.enrolment.enrolled"
    schema_version: Literal[1] = 1


class AftercareWaitlisted(_EnrolmentEvent):
    """No fitting group had room; the patient waits for one."""

    SUBJECT: ClassVar[str] = "aftercare.enrolment.waitlisted.v1"
    type: Literal["aftercare.enrolment.waitlisted"] = "aftercare.enrolment.waitlisted"
    schema_version: Literal[1] = 1


class AftercareEnrolmentCancelled(_EnrolmentEvent):
    """An enrolment was cancelled (discharge or admission cancelled, consent withdrawn)."""

    SUBJECT: ClassVar[str] = "aftercare.enrolment.cancelled.v1"
    type: Literal["aftercare.enrolment.cancelled"] = "aftercare.enrolment.cancelled"
    schema_version: Literal[1] = 1


class CertificationRecord(Contract):
    """A certification an alumnus earned on the path to mentorship."""

    kind: str
    issued_on: date
    expires_on: date


class PeerCandidateState(AggregateState):
    """An alumnus nominated to join the mentor pool (identity stays in intake: only the
    `patient_ref`, which matching also uses to keep them from mentoring while readmitted)."""

    nomination_id: str
    patient_ref: str
    branch: str
    languages: list[str]
    lived_experience: list[str]
    certifications: list[CertificationRecord]
    status: Literal["nominated", "withdrawn"]
    nominated_at: datetime


class PeerCandidateNominated(Event):
    """Aftercare's career pathway nominates (or withdraws) a certified alumnus as a mentor."""

    SOURCE: ClassVar[str] = "aftercare"
    SUBJECT: ClassVar[str] = "aftercare.peer_candidate.nominated.v1"
    type: Literal["aftercare.peer_candidate.nominated"] = "aftercare.peer_candidate.nominated"
    schema_version: Literal[1] = 1
    data: PeerCandidateState


class FirstAttendanceState(AggregateState):
    """A discharged patient came to their outpatient group for the first time."""

    enrolment_id: str
    episode_id: str
    patient_ref: str
    branch: str
    group_id: str
    meeting_id: str
    first_attended_at: datetime


class AftercareFirstAttended(Event):
    """The enrolment became real: the patient came to a meeting (not just enrolled)."""

    SOURCE: ClassVar[str] = "aftercare"
    SUBJECT: ClassVar[str] = "aftercare.enrolment.first_attended.v1"
    type: Literal["aftercare.enrolment.first_attended"] = "aftercare.enrolment.first_attended"
    schema_version: Literal[1] = 1
    data: FirstAttendanceState


class FollowUpState(AggregateState):
    """A follow-up contact due after discharge (7 and 30 days are the standard windows)."""

    follow_up_id: str
    episode_id: str
    patient_ref: str
    branch: str
    kind: Literal["day_7", "day_30"]
    due_by: datetime
    status: Literal["due", "completed", "missed", "cancelled"]
    completed_at: datetime | None = None


class _FollowUpEvent(Event):
    SOURCE: ClassVar[str] = "aftercare"
    data: FollowUpState


class FollowUpCompleted(_FollowUpEvent):
    """Someone reached the patient within the window (not on the discharge day)."""

    SUBJECT: ClassVar[str] = "aftercare.follow_up.completed.v1"
    type: Literal["aftercare.follow_up.completed"] = "aftercare.follow_up.completed"
    schema_version: Literal[1] = 1


class FollowUpMissed(_FollowUpEvent):
    """The window closed without a contact: a task goes to the mentor or the coordinators."""

    SUBJECT: ClassVar[str] = "aftercare.follow_up.missed.v1"
    type: Literal["aftercare.follow_up.missed"] = "aftercare.follow_up.missed"
    schema_version: Literal[1] = 1


class ReadmissionState(AggregateState):
    """An admission within 30 days of a discharge, at any branch, linked to that stay."""

    episode_id: str
    previous_episode_id: str
    patient_ref: str
    branch: str
    previous_branch: str
    days_since_discharge: int
    admitted_at: datetime


class ReadmissionLinked(Event):
    """A readmission within 30 days was linked to the previous episode."""

    SOURCE: ClassVar[str] = "aftercare"
    SUBJECT: ClassVar[str] = "aftercare.readmission.linked.v1"
    type: Literal["aftercare.readmission.linked"] = "aftercare.readmission.linked"
    schema_version: Literal[1] = 1
    data: ReadmissionState


class AlumnusState(AggregateState):
    """A patient who completed the aftercare programme: a member of the alumni."""

    patient_ref: str
    branch: str
    completed_episode_id: str
    joined_at: datetime


class AlumnusJoined(Event):
    """A patient completed aftercare and joined the alumni (alumni groups are open to them)."""

    SOURCE: ClassVar[str] = "aftercare"
    SUBJECT: ClassVar[str] = "aftercare.alumni.joined.v1"
    type: Literal["aftercare.alumni.joined"] = "aftercare.alumni.joined"
    schema_version: Literal[1] = 1
    data: AlumnusState


class CandidacyState(AggregateState):
    """An alumnus on the path to becoming a peer mentor: how they came to it, which courses
    they completed, and where they stand."""

    candidate_id: str
    patient_ref: str
    branch: str
    source: Literal["interest", "nomination"]
    status: Literal["training", "certified", "withdrawn"]
    courses_completed: list[str]
    courses_required: list[str]
    changed_at: datetime


class _CandidacyEvent(Event):
    SOURCE: ClassVar[str] = "aftercare"
    data: CandidacyState


class CandidacyOpened(_CandidacyEvent):
    """An alumnus expressed interest, or a coordinator nominated them, to train as a mentor."""

    SUBJECT: ClassVar[str] = "aftercare.peer_candidate.opened.v1"
    type: Literal["aftercare.peer_candidate.opened"] = "aftercare.peer_candidate.opened"
    schema_version: Literal[1] = 1


class CandidateCourseCompleted(_CandidacyEvent):
    """A candidate completed one of the training courses."""

    SUBJECT: ClassVar[str] = "aftercare.peer_candidate.course_completed.v1"
    type: Literal["aftercare.peer_candidate.course_completed"] = (
        "aftercare.peer_candidate.course_completed"
    )
    schema_version: Literal[1] = 1


class CandidateCertified(_CandidacyEvent):
    """Every course done and valid: the candidate is certified (and nominated to matching)."""

    SUBJECT: ClassVar[str] = "aftercare.peer_candidate.certified.v1"
    type: Literal["aftercare.peer_candidate.certified"] = "aftercare.peer_candidate.certified"
    schema_version: Literal[1] = 1


class CandidacyWithdrawn(_CandidacyEvent):
    """The candidate, or a coordinator, stopped the path."""

    SUBJECT: ClassVar[str] = "aftercare.peer_candidate.withdrawn.v1"
    type: Literal["aftercare.peer_candidate.withdrawn"] = "aftercare.peer_candidate.withdrawn"
    schema_version: Literal[1] = 1
