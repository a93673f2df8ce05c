"""Events produced by intake: episode lifecycle and peer-support consent (no PHI)."""

from datetime import datetime
from typing import ClassVar, Literal

from shared.contracts.envelope import AggregateState, Event

EpisodeStatus = Literal["admitted", "discharged", "cancelled"]
ConsentStatus = Literal["given", "withdrawn"]


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


class ConsentState(AggregateState):
    """A patient's current decision about peer support."""

    patient_ref: str
    status: ConsentStatus
    text_version: str
    text_language: str
    recorded_at: datetime


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
    """A patient moved ward or branch; `data.branch`/`data.ward` are the new location."""

    SUBJECT: ClassVar[str] = "intake.episode.transferred.v1"
    type: Literal["intake.episode.transferred"] = "intake.episode.transferred"
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


class ConsentChanged(Event):
    """A patient gave or withdrew consent to peer support."""

    SOURCE: ClassVar[str] = "intake"
    SUBJECT: ClassVar[str] = "intake.consent.changed.v1"
    type: Literal["intake.consent.changed"] = "intake.consent.changed"
    schema_version: Literal[1] = 1
    data: ConsentState


EPISODE_EVENTS: tuple[type[Event], ...] = (
    EpisodeAdmitted,
    EpisodeDischarged,
    EpisodeTransferred,
    EpisodeAdmissionCancelled,
    EpisodeDischargeCancelled,
)
