"""Sessions consumers: matching's match events, and intake's patient merges."""

from collections.abc import Sequence
from functools import partial

from sessions import handlers
from sessions.config import SessionsSettings
from sessions.models import MatchProjection, PatientMerge, PeerSession
from shared.consumer import ConsumerSpec
from shared.contracts.intake import PatientMerged
from shared.contracts.matching import MatchEnded, MatchMade
from shared.intake_projection import rekey_on_merge
from shared.streams import stream_for


def consumer_specs(settings: SessionsSettings) -> Sequence[ConsumerSpec]:
    """A durable consumer over matching's match events, one over intake's patient merges."""
    return [
        ConsumerSpec(
            name="sessions-match-events",
            stream=stream_for("matching.>"),
            filter_subject="matching.match.>",
            handlers={
                MatchMade.SUBJECT: partial(handlers.on_match_made, settings=settings),
                MatchEnded.SUBJECT: handlers.on_match_ended,  # type: ignore[dict-item]
            },
        ),
        ConsumerSpec(
            name="sessions-patient-merges",
            stream=stream_for(PatientMerged.SUBJECT),
            filter_subject=PatientMerged.SUBJECT,
            handlers={
                PatientMerged.SUBJECT: rekey_on_merge((PeerSession, MatchProjection), PatientMerge)
            },
        ),
    ]
