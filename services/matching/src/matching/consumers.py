"""Matching consumers: intake's episode and consent events."""

from collections.abc import Sequence
from functools import partial

from matching import handlers
from matching.config import MatchingSettings
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


def consumer_specs(settings: MatchingSettings) -> Sequence[ConsumerSpec]:
    """One durable consumer over intake's stream."""
    limit = settings.candidates_considered
    on_episode = partial(handlers.on_episode_event, limit=limit)
    on_consent = partial(handlers.on_consent_changed, limit=limit)
    handlers_by_subject = {cls.SUBJECT: on_episode for cls in EPISODE_EVENTS}
    handlers_by_subject[ConsentChanged.SUBJECT] = on_consent
    return [
        ConsumerSpec(
            name="matching-intake-events",
            stream=stream_for("intake.>"),
            filter_subject="intake.>",
            handlers=handlers_by_subject,
        )
    ]
