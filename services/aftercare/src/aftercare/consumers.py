"""Aftercare consumers: intake's episodes and consent, matching's matches, and sessions'
outpatient groups and their meetings."""

from collections.abc import Sequence
from functools import partial

from aftercare import attendance, erasure, groups, handlers, matches
from aftercare.config import AftercareSettings
from aftercare.models import (
    AftercareWish,
    Alumnus,
    Candidate,
    ConsentProjection,
    Enrolment,
    EpisodeProjection,
    FollowUp,
    MatchProjection,
    Readmission,
    Task,
)
from shared.consumer import ConsumerSpec
from shared.contracts.matching import MatchContinuationChanged, MatchEnded, MatchMade
from shared.contracts.sessions import GroupChanged, GroupMeetingHeld
from shared.intake_projection import EPISODE_FIELDS, intake_handlers
from shared.streams import stream_for


def consumer_specs(settings: AftercareSettings) -> Sequence[ConsumerSpec]:
    """Durable consumers over intake's stream, matching's matches and sessions' groups."""
    return [
        ConsumerSpec(
            name="aftercare-intake-events",
            stream=stream_for("intake.>"),
            filter_subject="intake.>",
            handlers=intake_handlers(
                EpisodeProjection,
                ConsentProjection,
                lambda: partial(handlers.reconcile, settings=settings),
                patient_tables=(
                    Enrolment,
                    Task,
                    AftercareWish,
                    MatchProjection,
                    FollowUp,
                    Readmission,
                    Alumnus,
                    Candidate,
                ),
                episode_fields=(*EPISODE_FIELDS, "admitted_at", "discharged_at", "disposition"),
                erase=erasure.on_patient_erased,
            ),
        ),
        ConsumerSpec(
            name="aftercare-match-events",
            stream=stream_for("matching.>"),
            filter_subject="matching.match.>",
            handlers={
                subject: partial(matches.on_match, settings=settings)
                for subject in (
                    MatchMade.SUBJECT,
                    MatchEnded.SUBJECT,
                    MatchContinuationChanged.SUBJECT,
                )
            },
        ),
        ConsumerSpec(
            name="aftercare-group-events",
            stream=stream_for(GroupChanged.SUBJECT),
            filter_subject="sessions.group.>",
            handlers={GroupChanged.SUBJECT: partial(groups.on_group_changed, settings=settings)},
        ),
        ConsumerSpec(
            name="aftercare-meeting-events",
            stream=stream_for(GroupMeetingHeld.SUBJECT),
            filter_subject="sessions.group_meeting.>",
            handlers={
                GroupMeetingHeld.SUBJECT: partial(attendance.on_meeting_held, settings=settings)
            },
        ),
    ]
