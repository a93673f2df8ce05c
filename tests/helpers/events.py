"""Build contract events and publish them to JetStream the way a producer's relay would."""

import secrets
from datetime import UTC, datetime, timedelta

import nats

from shared.contracts.aftercare import (
    CertificationRecord,
    PeerCandidateNominated,
    PeerCandidateState,
)
from shared.contracts.envelope import Event
from shared.contracts.intake import (
    ConsentChanged,
    ConsentState,
    EpisodeAdmitted,
    EpisodeDischargeCancelled,
    EpisodeDischarged,
    EpisodeState,
    EpisodeUpdated,
    MentorLinked,
    MentorLinkState,
    MentorUnlinked,
    PatientMerged,
    PatientMergeState,
    StayConsentChanged,
    StayConsentState,
)
from shared.contracts.registry import encode
from shared.streams import ensure_streams


def episode(version: int = 1, status: str = "admitted", **overrides: object) -> EpisodeState:
    """An episode state with fresh pseudonymous ids."""
    fields: dict[str, object] = {
        "version": version,
        "episode_id": f"ep_{secrets.token_hex(6)}",
        "patient_ref": f"pt_{secrets.token_hex(6)}",
        "branch": "kol-salt-lake",
        "ward": "w1",
        "language": "bn",
        "status": status,
        "admitted_at": datetime.now(UTC),
    }
    fields.update(overrides)
    if status == "discharged":
        fields.setdefault("discharged_at", datetime.now(UTC))
    return EpisodeState(**fields)  # type: ignore[arg-type]


def admitted(state: EpisodeState) -> EpisodeAdmitted:
    """The admission event of a state."""
    return EpisodeAdmitted.new(state, branch=state.branch)


def discharged(state: EpisodeState, disposition: str | None = None) -> EpisodeDischarged:
    """The discharge event of the next version of a state."""
    later = state.model_copy(
        update={
            "status": "discharged",
            "discharged_at": datetime.now(UTC),
            "disposition": disposition,
            "version": state.version + 1,
        }
    )
    return EpisodeDischarged.new(later, branch=state.branch)


def relabelled(state: EpisodeState, patient_ref: str) -> EpisodeUpdated:
    """After a merge (HL7 A40): the same stay, now under the surviving `patient_ref`."""
    moved = state.model_copy(update={"patient_ref": patient_ref, "version": state.version + 1})
    return EpisodeUpdated.new(moved, branch=moved.branch)


def discharge_cancelled(discharge: EpisodeDischarged) -> EpisodeDischargeCancelled:
    """HL7 A13 after this discharge: the patient is admitted again on the same visit."""
    again = discharge.data.model_copy(
        update={
            "status": "admitted",
            "discharged_at": None,
            "disposition": None,
            "version": discharge.data.version + 1,
        }
    )
    return EpisodeDischargeCancelled.new(again, branch=again.branch)


def consent(
    stay: EpisodeState,
    status: str = "given",
    version: int = 1,
    carried_over_from: str | None = None,
) -> StayConsentChanged:
    """The patient's answer about peer support for this stay."""
    state = StayConsentState(
        version=version,
        episode_id=stay.episode_id,
        patient_ref=stay.patient_ref,
        status=status,  # type: ignore[arg-type]
        text_version="v1",
        text_language="bn",
        recorded_at=datetime.now(UTC),
        carried_over_from=carried_over_from,
    )
    return StayConsentChanged.new(state, branch=stay.branch)


def patient_consent(patient_ref: str, status: str = "given", version: int = 1) -> ConsentChanged:
    """A v1 (per patient) consent change, as still found in a stream from before consent
    belonged to a stay."""
    state = ConsentState(
        version=version,
        patient_ref=patient_ref,
        status=status,  # type: ignore[arg-type]
        text_version="v1",
        text_language="bn",
        recorded_at=datetime.now(UTC),
    )
    return ConsentChanged.new(state, branch="kol-salt-lake")


def nomination(
    patient_ref: str, version: int = 1, status: str = "nominated"
) -> PeerCandidateNominated:
    """Aftercare nominating an alumnus with the four core certifications, valid a year."""
    today = datetime.now(UTC).date()
    certifications = [
        CertificationRecord(kind=kind, issued_on=today, expires_on=today + timedelta(days=365))
        for kind in ("active_listening", "boundaries", "crisis_response", "ethics")
    ]
    state = PeerCandidateState(
        version=version,
        nomination_id=f"nm_{patient_ref[3:]}",
        patient_ref=patient_ref,
        branch="kol-salt-lake",
        languages=["bn"],
        lived_experience=["depression"],
        certifications=certifications,
        status=status,  # type: ignore[arg-type]
        nominated_at=datetime.now(UTC),
    )
    return PeerCandidateNominated.new(state, branch="kol-salt-lake")


class Publisher:
    """A plain JetStream publisher for tests."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._connection: nats.NATS | None = None

    async def __aenter__(self) -> "Publisher":
        self._connection = await nats.connect(self._url)
        await ensure_streams(self._connection.jetstream())
        return self

    async def __aexit__(self, *_: object) -> None:
        assert self._connection is not None
        await self._connection.close()

    async def event(self, event: Event, msg_id: str | None = None) -> None:
        """Publish an event; a different `msg_id` defeats JetStream's duplicate window."""
        await self.raw(event.SUBJECT, encode(event), msg_id or str(event.event_id))

    async def raw(self, subject: str, payload: bytes, msg_id: str | None = None) -> None:
        """Publish arbitrary bytes on a subject."""
        assert self._connection is not None
        headers = {"Nats-Msg-Id": msg_id} if msg_id else None
        await self._connection.jetstream().publish(subject, payload, headers=headers)


def merged(source_patient_ref: str, target_patient_ref: str) -> PatientMerged:
    """Intake found two patient records to be one person (HL7 A40)."""
    state = PatientMergeState(
        version=1,
        source_patient_ref=source_patient_ref,
        target_patient_ref=target_patient_ref,
        merged_at=datetime.now(UTC),
    )
    return PatientMerged.new(state, branch="kol-salt-lake")


def mentor_link(
    mentor_id: str, patient_ref: str, version: int = 1, status: str = "linked"
) -> MentorLinked | MentorUnlinked:
    """Intake linked (or unlinked) a mentor to their own patient record."""
    state = MentorLinkState(
        version=version,
        mentor_id=mentor_id,
        patient_ref=patient_ref,
        status=status,  # type: ignore[arg-type]
        changed_at=datetime.now(UTC),
    )
    event_cls = MentorLinked if status == "linked" else MentorUnlinked
    return event_cls.new(state, branch="shared-pool")
