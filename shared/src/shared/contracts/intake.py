"""Events produced by intake: episode lifecycle, peer-support consent and which patient record a
mentor is (no PHI)."""

from datetime import datetime
from typing import ClassVar, Literal

from shared.contracts.envelope import AggregateState, Event

EpisodeStatus = Literal["admitted", "discharged", "cancelled"]
ConsentStatus = Literal["given", "withdrawn"]
ConsentAnswer = Literal["given", "declined", "withdrawn"]


class EpisodeState(AggregateState):
    """One stay, admission to discharge, identified only by pseudonymous references."""

    episode_id: str
    patient_ref: str
    branch: str
    ward: str
    language: str
    status: EpisodeStatus
    admitted_at: datetime
    discharged_at: datetime | None = None
    disposition: str | None = None


class PatientMergeState(AggregateState):
    """Two patient records found to be one person: `source` was merged into `target` (HL7 A40)."""

    source_patient_ref: str
    target_patient_ref: str
    merged_at: datetime


class PatientErasureState(AggregateState):
    """A patient's erasure request (DPDP Act 2023 s.12) was carried out: intake erased the
    identity; every service deletes or anonymises what it holds about `patient_ref`."""

    patient_ref: str
    erased_at: datetime


class ConsentState(AggregateState):
    """A patient's current decision about peer support."""

    patient_ref: str
    status: ConsentStatus
    text_version: str
    text_language: str
    recorded_at: datetime


class StayConsentState(AggregateState):
    """A patient's answer about peer support for one stay (episode); `carried_over_from` names
    the earlier stay whose consent this stay started with (a readmission within the
    hospital's carry-over window), else None."""

    episode_id: str
    patient_ref: str
    status: ConsentAnswer
    text_version: str
    text_language: str
    recorded_at: datetime
    carried_over_from: str | None = None


class MentorLinkState(AggregateState):
    """A mentor linked to (or unlinked from) their own patient record by a coordinator: the
    identifiers stay in intake's vault; matching sees only the pseudonymous `patient_ref`."""

    mentor_id: str
    patient_ref: str
    status: Literal["linked", "unlinked"]
    changed_at: datetime


class _EpisodeEvent(Event):
    SOURCE: ClassVar[str] = "intake"
    data: EpisodeState


class EpisodeAdmitted(_EpisodeEvent):
    """A patient was admitted (new episode)."""

    SUBJECT: ClassVar[str] = "intake.episode.admitted.v1"
    type: Literal["intake.episode.admitted"] = "intake.episode.admitted"
    schema_version: Literal[1] = 1


class EpisodeDischarged(_EpisodeEvent):
    """A patient was discharged."""

    SUBJECT: ClassVar[str] = "intake.episode.discharged.v1"
    type: Literal["intake.episode.discharged"] = "intake.episode.discharged"
    schema_version: Literal[1] = 1


class EpisodeTransferred(_EpisodeEvent):
    """A patient moved to another ward of the same branch; `data.ward` is the new ward."""

    SUBJECT: ClassVar[str] = "intake.episode.transferred.v1"
    type: Literal["intake.episode.transferred"] = "intake.episode.transferred"
    schema_version: Literal[1] = 1


class EpisodeBranchTransferred(_EpisodeEvent):
    """A patient moved to another branch (`data.branch`), so their mentor may have to change."""

    SUBJECT: ClassVar[str] = "intake.episode.branch_transferred.v1"
    type: Literal["intake.episode.branch_transferred"] = "intake.episode.branch_transferred"
    schema_version: Literal[1] = 1


class EpisodeUpdated(_EpisodeEvent):
    """Details other than status or place changed: the patient's language (HL7 A08) or,
    after a merge (A40), the `patient_ref` the episode belongs to."""

    SUBJECT: ClassVar[str] = "intake.episode.updated.v1"
    type: Literal["intake.episode.updated"] = "intake.episode.updated"
    schema_version: Literal[1] = 1


class EpisodeAdmissionCancelled(_EpisodeEvent):
    """An admission was entered in error and cancelled."""

    SUBJECT: ClassVar[str] = "intake.episode.admission_cancelled.v1"
    type: Literal["intake.episode.admission_cancelled"] = "intake.episode.admission_cancelled"
    schema_version: Literal[1] = 1


class EpisodeDischargeCancelled(_EpisodeEvent):
    """A discharge was cancelled; the patient is admitted again in the same episode."""

    SUBJECT: ClassVar[str] = "intake.episode.discharge_cancelled.v1"
    type: Literal["intake.episode.discharge_cancelled"] = "intake.episode.discharge_cancelled"
    schema_version: Literal[1] = 1


class PatientMerged(Event):
    """Two patient references are one person; services re-key `source` to `target`."""

    SOURCE: ClassVar[str] = "intake"
    SUBJECT: ClassVar[str] = "intake.patient.merged.v1"
    type: Literal["intake.patient.merged"] = "intake.patient.merged"
    schema_version: Literal[1] = 1
    data: PatientMergeState


class PatientErased(Event):
    """Intake erased a patient's identity at their request; the others erase their data too."""

    SOURCE: ClassVar[str] = "intake"
    SUBJECT: ClassVar[str] = "intake.patient.erased.v1"
    type: Literal["intake.patient.erased"] = "intake.patient.erased"
    schema_version: Literal[1] = 1
    data: PatientErasureState


class ConsentChanged(Event):
    """A patient gave or withdrew consent to peer support (v1, per patient: no longer
    produced; superseded by `StayConsentChanged`)."""

    SOURCE: ClassVar[str] = "intake"
    SUBJECT: ClassVar[str] = "intake.consent.changed.v1"
    type: Literal["intake.consent.changed"] = "intake.consent.changed"
    schema_version: Literal[1] = 1
    data: ConsentState


class StayConsentChanged(Event):
    """A patient gave, declined or withdrew consent to peer support for one stay (v2: consent
    belongs to a stay; v1 was per patient and is no longer produced)."""

    SOURCE: ClassVar[str] = "intake"
    SUBJECT: ClassVar[str] = "intake.consent.changed.v2"
    type: Literal["intake.consent.changed"] = "intake.consent.changed"
    schema_version: Literal[2] = 2
    data: StayConsentState


class MentorLinked(Event):
    """A mentor is the patient `patient_ref`: never matched to themselves, paused while admitted."""

    SOURCE: ClassVar[str] = "intake"
    SUBJECT: ClassVar[str] = "intake.mentor.linked.v1"
    type: Literal["intake.mentor.linked"] = "intake.mentor.linked"
    schema_version: Literal[1] = 1
    data: MentorLinkState


class MentorUnlinked(Event):
    """A mentor's link to the patient record `patient_ref` was removed (it was a mistake)."""

    SOURCE: ClassVar[str] = "intake"
    SUBJECT: ClassVar[str] = "intake.mentor.unlinked.v1"
    type: Literal["intake.mentor.unlinked"] = "intake.mentor.unlinked"
    schema_version: Literal[1] = 1
    data: MentorLinkState


EPISODE_EVENTS: tuple[type[Event], ...] = (
    EpisodeAdmitted,
    EpisodeDischarged,
    EpisodeTransferred,
    EpisodeBranchTransferred,
    EpisodeUpdated,
    EpisodeAdmissionCancelled,
    EpisodeDischargeCancelled,
)
