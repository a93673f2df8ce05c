"""Which events the calendar consumes: matching's match events (introductions, cancellations)."""

from functools import partial

from sessions.calendar import introductions
from sessions.calendar.options import CalendarOptions
from shared.consumer import ConsumerSpec
from shared.contracts.matching import MatchEnded, MatchMade
from shared.streams import stream_for


def consumer_specs(options: CalendarOptions) -> list[ConsumerSpec]:
    """The durable consumer over matching's match events."""
    return [
        ConsumerSpec(
            name="sessions-match-events",
            stream=stream_for("matching.>"),
            filter_subject="matching.match.>",
            handlers={
                MatchMade.SUBJECT: partial(introductions.on_match_made, options=options),
                MatchEnded.SUBJECT: introductions.on_match_ended,  # type: ignore[dict-item]
            },
        )
    ]
