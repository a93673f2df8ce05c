"""Matching consumers: intake's episode and consent events."""

from collections.abc import Sequence
from functools import partial

from matching import handlers
from matching.config import MatchingSettings
from matching.models import ConsentProjection, EpisodeProjection, Match, WaitlistEntry
from shared.consumer import ConsumerSpec
from shared.intake_projection import intake_handlers
from shared.streams import stream_for


def consumer_specs(settings: MatchingSettings) -> Sequence[ConsumerSpec]:
    """One durable consumer over intake's stream."""
    return [
        ConsumerSpec(
            name="matching-intake-events",
            stream=stream_for("intake.>"),
            filter_subject="intake.>",
            handlers=intake_handlers(
                EpisodeProjection,
                ConsentProjection,
                lambda: partial(handlers.reconcile, limit=settings.candidates_considered),
                patient_tables=(Match, WaitlistEntry),
            ),
        )
    ]
