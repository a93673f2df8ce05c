"""Intake's patient events as matching keeps them: episodes, per-stay consent, merges (the
latest preferences first) and erasure, each change reconciled."""

from collections.abc import Callable, Mapping

from matching.matches.models import Match
from matching.patients.merges import keep_latest_preferences
from matching.patients.models import (
    ConsentProjection,
    EpisodeProjection,
    MentorExclusion,
    PatientPreferences,
)
from matching.waitlist.models import WaitlistEntry
from shared.consumer import BatchHandler, Handler
from shared.intake_batches import QuietAdmissions, episode_batch_handlers
from shared.intake_projection import EPISODE_FIELDS, Reconcile, intake_handlers

FIELDS = (*EPISODE_FIELDS, "ward", "admitted_at", "discharged_at", "disposition")


def patient_handlers(reconcile: Callable[[], Reconcile], erase: Handler) -> Mapping[str, Handler]:
    """Episodes, consent, merges and erasure as every consumer of intake keeps them (on a
    merge, the latest preferences first); `reconcile` brings each episode in line."""
    return intake_handlers(
        EpisodeProjection,
        ConsentProjection,
        reconcile,
        patient_tables=(Match, WaitlistEntry, MentorExclusion, PatientPreferences),
        episode_fields=FIELDS,
        erase=erase,
        before_merge=keep_latest_preferences,
    )


def patient_batch_handlers(
    reconcile: Callable[[], Reconcile], quiet: QuietAdmissions
) -> Mapping[str, BatchHandler]:
    """Episodes and per-stay consent a run at a time, with the same effects as
    `patient_handlers`; `quiet` names the new admissions that need no reconcile."""
    return episode_batch_handlers(
        EpisodeProjection, ConsentProjection, reconcile, FIELDS, quiet=quiet
    )
