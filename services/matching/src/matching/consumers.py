"""Matching consumers: intake's episode, per-stay consent and merge events; aftercare's
nominated alumni."""

from collections.abc import Sequence
from functools import partial

from matching import erasure, handlers, merges, pool
from matching.config import MatchingSettings, policy_from
from matching.models import (
    ConsentProjection,
    EpisodeProjection,
    Match,
    MentorExclusion,
    PatientPreferences,
    WaitlistEntry,
)
from shared.consumer import ConsumerSpec
from shared.contracts.aftercare import PeerCandidateNominated
from shared.intake_projection import EPISODE_FIELDS, intake_handlers
from shared.streams import stream_for


def consumer_specs(settings: MatchingSettings) -> Sequence[ConsumerSpec]:
    """A durable consumer over intake's stream, one over aftercare's nominations."""
    return [
        ConsumerSpec(
            name="matching-intake-events",
            stream=stream_for("intake.>"),
            filter_subject="intake.>",
            handlers=intake_handlers(
                EpisodeProjection,
                ConsentProjection,
                lambda: partial(handlers.reconcile, policy=policy_from(settings)),
                patient_tables=(Match, WaitlistEntry, MentorExclusion, PatientPreferences),
                episode_fields=(*EPISODE_FIELDS, "ward", "discharged_at", "disposition"),
                erase=erasure.on_patient_erased,
                before_merge=merges.before_rekey,
            ),
        ),
        ConsumerSpec(
            name="matching-nominations",
            stream=stream_for(PeerCandidateNominated.SUBJECT),
            filter_subject=PeerCandidateNominated.SUBJECT,
            handlers={
                PeerCandidateNominated.SUBJECT: partial(
                    pool.apply_nomination,
                    core=settings.core_certifications,
                    crisis_kind=settings.crisis_certification,
                )
            },
        ),
    ]
