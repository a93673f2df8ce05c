"""Aftercare's consumers, assembled from its features: intake's episodes and consent (which
every feature's patient rows follow through merges and erasure), matching's matches and
sessions' outpatient groups (enrolment), and sessions' meetings (follow-up)."""

from collections.abc import Sequence

from aftercare import erasure
from aftercare.alumni.models import Alumnus, Candidate
from aftercare.enrolment import consumers as enrolment
from aftercare.enrolment.models import (
    AftercareWish,
    ConsentProjection,
    Enrolment,
    EpisodeProjection,
    MatchProjection,
    Readmission,
)
from aftercare.enrolment.options import EnrolmentOptions
from aftercare.follow_up import consumers as follow_up
from aftercare.follow_up.models import FollowUp, Task
from aftercare.follow_up.options import FollowUpOptions
from shared.consumer import ConsumerSpec
from shared.intake_projection import EPISODE_FIELDS, intake_handlers
from shared.streams import stream_for

# The tables whose rows carry a patient_ref that a patient merge re-keys.
PATIENT_TABLES = (
    Enrolment,
    Task,
    AftercareWish,
    MatchProjection,
    FollowUp,
    Readmission,
    Alumnus,
    Candidate,
)


def consumer_specs(
    enrolment_options: EnrolmentOptions, follow_up_options: FollowUpOptions
) -> Sequence[ConsumerSpec]:
    """Durable consumers over intake's stream, matching's matches and sessions' groups."""
    return [
        ConsumerSpec(
            name="aftercare-intake-events",
            stream=stream_for("intake.>"),
            filter_subject="intake.>",
            handlers=intake_handlers(
                EpisodeProjection,
                ConsentProjection,
                lambda: enrolment.reconciler(enrolment_options),
                patient_tables=PATIENT_TABLES,
                episode_fields=(*EPISODE_FIELDS, "admitted_at", "discharged_at", "disposition"),
                erase=erasure.on_patient_erased,
            ),
        ),
        *enrolment.consumer_specs(enrolment_options),
        *follow_up.consumer_specs(follow_up_options),
    ]
