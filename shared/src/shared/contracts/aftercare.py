"""Events produced by aftercare: outpatient group enrolment, and alumni nominated as mentors."""

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
