"""Aftercare consumers: intake's episode and consent events."""

from collections.abc import Sequence

from aftercare import handlers
from shared.consumer import ConsumerSpec
from shared.contracts.intake import (
    ConsentChanged,
    EpisodeAdmissionCancelled,
    EpisodeAdmitted,
    EpisodeDischargeCancelled,
    EpisodeDischarged,
    EpisodeTransferred,
)
from shared.streams import stream_for

EPISODE_EVENTS = (
    EpisodeAdmitted,
    EpisodeDischarged,
    EpisodeTransferred,
    EpisodeAdmissionCancelled,
    EpisodeDischargeCancelled,
)


def consumer_specs() -> Sequence[ConsumerSpec]:
    """One durable consumer over intake's stream."""
    by_subject = {cls.SUBJECT: handlers.on_episode_event for cls in EPISODE_EVENTS}
    by_subject[ConsentChanged.SUBJECT] = handlers.on_consent_changed  # type: ignore[assignment]
    return [
        ConsumerSpec(
            name="aftercare-intake-events",
            stream=stream_for("intake.>"),
            filter_subject="intake.>",
            handlers=by_subject,
        )
    ]
