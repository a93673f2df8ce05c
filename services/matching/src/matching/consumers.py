"""Matching consumers: intake's episode, per-stay consent, merge and mentor-link events;
aftercare's nominated alumni."""

from collections.abc import Mapping, Sequence
from functools import partial

from matching import erasure, handlers, mentor_links, merges, pool
from matching.config import MatchingSettings, policy_from
from matching.models import (
    ConsentProjection,
    EpisodeProjection,
    Match,
    MentorExclusion,
    PatientPreferences,
    WaitlistEntry,
)
from shared.consumer import ConsumerSpec, Handler
from shared.contracts.aftercare import PeerCandidateNominated
from shared.contracts.intake import MentorLinked, MentorUnlinked, PatientMerged
from shared.intake_projection import EPISODE_FIELDS, intake_handlers
from shared.streams import stream_for


def _intake_handlers(settings: MatchingSettings) -> Mapping[str, Handler]:
    """Episodes, consent, merges and erasure as every consumer of intake keeps them (on a
    merge, the latest preferences first); mentors linked to their own patient record (a merge
    carries the link over)."""
    intake = dict(
        intake_handlers(
            EpisodeProjection,
            ConsentProjection,
            lambda: partial(handlers.reconcile, policy=policy_from(settings)),
            patient_tables=(Match, WaitlistEntry, MentorExclusion, PatientPreferences),
            episode_fields=(*EPISODE_FIELDS, "ward", "discharged_at", "disposition"),
            erase=erasure.on_patient_erased,
            before_merge=merges.keep_latest_preferences,
        )
    )
    intake[PatientMerged.SUBJECT] = mentor_links.following_merges(intake[PatientMerged.SUBJECT])
    apply_link = partial(mentor_links.apply_link, policy=policy_from(settings))
    intake[MentorLinked.SUBJECT] = intake[MentorUnlinked.SUBJECT] = apply_link
    return intake


def consumer_specs(settings: MatchingSettings) -> Sequence[ConsumerSpec]:
    """A durable consumer over intake's stream, one over aftercare's nominations."""
    return [
        ConsumerSpec(
            name="matching-intake-events",
            stream=stream_for("intake.>"),
            filter_subject="intake.>",
            handlers=_intake_handlers(settings),
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
