"""Matching consumers: intake's episode, per-stay consent, merge and mentor-link events;
aftercare's nominated alumni. Each feature contributes its handlers."""

from collections.abc import Sequence

from matching import erasure
from matching.matches.consumers import reconciler
from matching.matches.domain import Policy
from matching.matches.quiet import quiet_admissions
from matching.patients.consumers import patient_batch_handlers, patient_handlers
from matching.pool.consumers import mentor_link_handlers, nomination_handlers
from matching.pool.domain import PoolOptions
from shared.consumer import ConsumerSpec
from shared.contracts.aftercare import PeerCandidateNominated
from shared.contracts.intake import PatientMerged
from shared.streams import stream_for


def consumer_specs(policy: Policy, pool: PoolOptions) -> Sequence[ConsumerSpec]:
    """A durable consumer over intake's stream (episodes and consent applied a run at a
    time), one over aftercare's nominations."""
    intake = dict(patient_handlers(reconciler(policy), erasure.on_patient_erased))
    intake.update(mentor_link_handlers(policy, intake[PatientMerged.SUBJECT]))
    return [
        ConsumerSpec(
            name="matching-intake-events",
            stream=stream_for("intake.>"),
            filter_subject="intake.>",
            handlers=intake,
            batch_handlers=patient_batch_handlers(reconciler(policy), quiet_admissions),
        ),
        ConsumerSpec(
            name="matching-nominations",
            stream=stream_for(PeerCandidateNominated.SUBJECT),
            filter_subject=PeerCandidateNominated.SUBJECT,
            handlers=nomination_handlers(pool),
        ),
    ]
