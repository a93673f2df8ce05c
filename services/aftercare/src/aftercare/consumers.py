"""Aftercare consumers: intake's episode and consent events."""

from collections.abc import Sequence

from aftercare import handlers
from aftercare.models import ConsentProjection, Enrolment, EpisodeProjection
from shared.consumer import ConsumerSpec
from shared.intake_projection import intake_handlers
from shared.streams import stream_for


def consumer_specs() -> Sequence[ConsumerSpec]:
    """One durable consumer over intake's stream."""
    return [
        ConsumerSpec(
            name="aftercare-intake-events",
            stream=stream_for("intake.>"),
            filter_subject="intake.>",
            handlers=intake_handlers(
                EpisodeProjection,
                ConsentProjection,
                lambda: handlers.reconcile,
                patient_tables=(Enrolment,),
            ),
        )
    ]
