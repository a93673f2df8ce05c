"""Sessions consumers: matching's match events."""

from collections.abc import Sequence
from functools import partial

from sessions import handlers
from sessions.config import SessionsSettings
from shared.consumer import ConsumerSpec
from shared.contracts.matching import MatchEnded, MatchMade
from shared.streams import stream_for


def consumer_specs(settings: SessionsSettings) -> Sequence[ConsumerSpec]:
    """One durable consumer over matching's match events."""
    return [
        ConsumerSpec(
            name="sessions-match-events",
            stream=stream_for("matching.>"),
            filter_subject="matching.match.>",
            handlers={
                MatchMade.SUBJECT: partial(handlers.on_match_made, settings=settings),
                MatchEnded.SUBJECT: handlers.on_match_ended,  # type: ignore[dict-item]
            },
        )
    ]
