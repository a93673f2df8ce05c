"""Sessions consumers: matching's match and mentor events, aftercare's enrolments, and intake's
episodes, consent and patient merges."""

from collections.abc import Sequence
from functools import partial

from sessions import erasure, group_places, handlers, mentors, outpatient
from sessions.config import SessionsSettings
from sessions.models import (
    AftercarePlace,
    AlumnusProjection,
    ConsentProjection,
    Crisis,
    EpisodeProjection,
    Goal,
    GroupAttendance,
    GroupEnrolment,
    MatchProjection,
    PatientMerge,
    PeerSession,
    QuestionnaireResponse,
)
from shared.clock import Clock
from shared.consumer import ConsumerSpec
from shared.contracts.aftercare import (
    AftercareEnrolled,
    AftercareEnrolmentCancelled,
    AftercareWaitlisted,
    AlumnusJoined,
)
from shared.contracts.matching import MatchEnded, MatchMade, MentorChanged
from shared.intake_projection import intake_handlers
from shared.streams import stream_for

# Every table here keyed or filtered by patient_ref: a merge moves them to the survivor.
PATIENT_TABLES = (
    PeerSession,
    MatchProjection,
    Crisis,
    Goal,
    QuestionnaireResponse,
    GroupEnrolment,
    GroupAttendance,
    AftercarePlace,
    AlumnusProjection,
)


def consumer_specs(settings: SessionsSettings, clock: Clock) -> Sequence[ConsumerSpec]:
    """Durable consumers over matching's match events, matching's mentor events, and intake's
    events (admissions and discharges end or open group places; merges re-key rows)."""
    intake = intake_handlers(
        EpisodeProjection,
        ConsentProjection,
        lambda: partial(group_places.settle, clock=clock),
        PATIENT_TABLES,
        erase=erasure.on_patient_erased,
        merges=PatientMerge,
    )
    return [
        ConsumerSpec(
            name="sessions-match-events",
            stream=stream_for("matching.>"),
            filter_subject="matching.match.>",
            handlers={
                MatchMade.SUBJECT: partial(handlers.on_match_made, settings=settings),
                MatchEnded.SUBJECT: handlers.on_match_ended,  # type: ignore[dict-item]
            },
        ),
        ConsumerSpec(
            name="sessions-mentor-events",
            stream=stream_for(MentorChanged.SUBJECT),
            filter_subject="matching.mentor.>",
            handlers={
                MentorChanged.SUBJECT: partial(
                    mentors.on_mentor_changed, settings=settings, clock=clock
                )
            },
        ),
        ConsumerSpec(
            name="sessions-aftercare-enrolments",
            stream=stream_for("aftercare.>"),
            filter_subject="aftercare.enrolment.>",
            handlers={
                cls.SUBJECT: partial(outpatient.on_enrolment, clock=clock)
                for cls in (AftercareEnrolled, AftercareWaitlisted, AftercareEnrolmentCancelled)
            },
        ),
        ConsumerSpec(
            name="sessions-alumni",
            stream=stream_for(AlumnusJoined.SUBJECT),
            filter_subject="aftercare.alumni.>",
            handlers={AlumnusJoined.SUBJECT: outpatient.on_alumnus},
        ),
        ConsumerSpec(
            name="sessions-intake-events",
            stream=stream_for("intake.>"),
            filter_subject="intake.>",
            handlers=intake,
        ),
    ]
