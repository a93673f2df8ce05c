"""Events produced by aftercare: outpatient group enrolment."""

from datetime import datetime
from typing import ClassVar, Literal

from shared.contracts.envelope import AggregateState, Event


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
