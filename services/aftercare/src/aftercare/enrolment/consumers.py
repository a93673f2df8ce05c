"""The events enrolment consumes: intake's stays and consent (through `reconciler`, wired by
the service's consumer assembly), matching's matches and sessions' outpatient groups."""

from collections.abc import Sequence
from functools import partial

from sqlalchemy.ext.asyncio import AsyncSession

from aftercare.enrolment.handlers import groups, matches
from aftercare.enrolment.handlers.reconcile import reconcile
from aftercare.enrolment.options import EnrolmentOptions
from shared.consumer import ConsumerSpec
from shared.contracts.envelope import Event
from shared.contracts.matching import MatchContinuationChanged, MatchEnded, MatchMade
from shared.contracts.sessions import GroupChanged
from shared.intake_projection import Reconcile
from shared.streams import stream_for


def reconciler(options: EnrolmentOptions) -> Reconcile:
    """What a stay's change (episode or consent) calls: bring its enrolments in line."""
    return partial(reconcile, options=options)


async def on_match(session: AsyncSession, event: Event, options: EnrolmentOptions) -> None:
    """A match was made, ended, or goes on past discharge."""
    await matches.apply_match(session, event.data, options, event.correlation_id)


async def on_group_changed(
    session: AsyncSession, event: GroupChanged, options: EnrolmentOptions
) -> None:
    """A group was set up, changed or closed in sessions."""
    await groups.apply_group_change(session, event.data, options, event.correlation_id)


def consumer_specs(options: EnrolmentOptions) -> Sequence[ConsumerSpec]:
    """Durable consumers over matching's matches and sessions' groups."""
    return [
        ConsumerSpec(
            name="aftercare-match-events",
            stream=stream_for("matching.>"),
            filter_subject="matching.match.>",
            handlers={
                subject: partial(on_match, options=options)
                for subject in (
                    MatchMade.SUBJECT,
                    MatchEnded.SUBJECT,
                    MatchContinuationChanged.SUBJECT,
                )
            },
        ),
        ConsumerSpec(
            name="aftercare-group-events",
            stream=stream_for(GroupChanged.SUBJECT),
            filter_subject="sessions.group.>",
            handlers={GroupChanged.SUBJECT: partial(on_group_changed, options=options)},
        ),
    ]
