"""The events alerts consume: crises, missed sessions and wellbeing checks asking for support
(sessions), proposals, waitlists, lapsing certifications and supervisors over the ratio
(matching), waitlisted enrolments and missed follow-ups (aftercare)."""

from collections.abc import Callable, Sequence
from functools import partial

from sqlalchemy.ext.asyncio import AsyncSession

from notify.alerts import domain, handlers
from notify.alerts.options import AlertOptions
from shared.consumer import ConsumerSpec, Handler
from shared.contracts.aftercare import AftercareWaitlisted, FollowUpMissed
from shared.contracts.envelope import Event
from shared.contracts.matching import (
    CertificationLapsing,
    MatchEnded,
    MatchMade,
    MatchProposed,
    MatchWaitlisted,
    SupervisorOverRatio,
)
from shared.contracts.sessions import (
    CrisisAcknowledged,
    CrisisEscalated,
    CrisisFlagged,
    CrisisResolved,
    SessionMissed,
    WellbeingSupportRequested,
)
from shared.streams import stream_for


def _alert_of(event: Event, options: AlertOptions) -> domain.Alert:
    """What each consumed event asks of whom (deadlines shown in the branch's zone: the events
    carry none)."""
    data, zone = event.data, options.branch_zone
    if isinstance(event, CrisisFlagged | CrisisEscalated):
        escalated = isinstance(event, CrisisEscalated)
        return domain.crisis_alert(data, escalated, options.clock.now(), zone)
    if isinstance(event, MatchProposed):
        return domain.proposal_alert(data, zone)
    if isinstance(event, MatchWaitlisted):
        return domain.waitlist_alert(data.branch, data.episode_id, "waitlist")
    if isinstance(event, AftercareWaitlisted):
        return domain.waitlist_alert(data.branch, data.enrolment_id, "no_group")
    if isinstance(event, SessionMissed):
        return domain.missed_session_alert(data)
    raise TypeError(f"alerts do not handle {event.SUBJECT}")


async def on_alert(session: AsyncSession, event: Event, options: AlertOptions) -> None:
    """An event asking a person to act: notify them."""
    if isinstance(event, FollowUpMissed):
        mentor_id = await handlers.mentor_of(session, event.data.episode_id)
        alert = domain.missed_follow_up_alert(event.data, mentor_id)
    else:
        alert = _alert_of(event, options)
    await handlers.notify(
        session,
        alert,
        options.clock.now(),
        source_event_id=str(event.event_id),
        correlation_id=event.correlation_id,
    )


def _alerts_per_branch(event: Event) -> list[domain.Alert]:
    """What an event about a person serving several branches asks, one alert per branch."""
    if isinstance(event, CertificationLapsing):
        return domain.certification_alerts(event.data)
    if isinstance(event, SupervisorOverRatio):
        return domain.supervision_alerts(event.data)
    if isinstance(event, WellbeingSupportRequested):
        return domain.wellbeing_alerts(event.data)
    raise TypeError(f"alerts per branch do not handle {event.SUBJECT}")


async def on_branches_alert(session: AsyncSession, event: Event, options: AlertOptions) -> None:
    """A lapsing certification, a supervisor over the ratio, a mentor asking for support:
    notify each addressee once (not a crisis: quiet hours apply)."""
    await handlers.notify_each(
        session,
        _alerts_per_branch(event),
        options.clock.now(),
        source_event_id=str(event.event_id),
        correlation_id=event.correlation_id,
    )


async def on_match(session: AsyncSession, event: Event) -> None:
    """A match made or ended: who mentors the stay (for outreach after discharge)."""
    await handlers.record_match(session, event.data)


async def on_crisis_settled(session: AsyncSession, event: Event, options: AlertOptions) -> None:
    """A crisis was taken on or resolved (in sessions): its open notifications close."""
    await handlers.close_subject(session, "crisis", event.data.crisis_id, options.clock.now())


def _spec(
    name: str, filter_subject: str, events: dict[type[Event], Callable[..., object]]
) -> ConsumerSpec:
    handlers_by_subject: dict[str, Handler] = {
        contract.SUBJECT: handler  # type: ignore[misc]
        for contract, handler in events.items()
    }
    return ConsumerSpec(name, stream_for(filter_subject), filter_subject, handlers_by_subject)


def consumer_specs(options: AlertOptions) -> Sequence[ConsumerSpec]:
    """The durable consumers of alerts, one per producing stream."""
    alert = partial(on_alert, options=options)
    per_branch = partial(on_branches_alert, options=options)
    settled = partial(on_crisis_settled, options=options)
    return [
        _spec(
            "notify-sessions-events",
            "sessions.>",
            {
                CrisisFlagged: alert,
                CrisisEscalated: alert,
                CrisisAcknowledged: settled,
                CrisisResolved: settled,
                SessionMissed: alert,
                WellbeingSupportRequested: per_branch,
            },
        ),
        _spec(
            "notify-match-events",
            "matching.>",  # matches, and mentors' certifications and supervision
            {
                MatchProposed: alert,
                MatchWaitlisted: alert,
                MatchMade: on_match,
                MatchEnded: on_match,
                CertificationLapsing: per_branch,
                SupervisorOverRatio: per_branch,
            },
        ),
        _spec(
            "notify-aftercare-events",
            "aftercare.>",
            {AftercareWaitlisted: alert, FollowUpMissed: alert},
        ),
    ]
