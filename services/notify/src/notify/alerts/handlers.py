"""Use cases of alerts: notify the right people, close what was settled, acknowledge."""

import logging
import uuid
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from notify.alerts.domain import OPEN, Alert, Gone
from notify.alerts.metrics import NOTIFICATIONS, UNHEARD, UNMATCHED
from notify.alerts.models import MentorMatch, Notification
from notify.channels.facts import checked
from notify.channels.texts import render, spoken
from notify.delivery import handlers as deliveries
from notify.people import handlers as people
from notify.people.domain import Contact, network_coordinators, recipients
from shared.contracts.matching import MatchState
from shared.contracts.notify import AlertAcknowledged, AlertAcknowledgement
from shared.db import changed_a_row
from shared.outbox import stage

log = logging.getLogger(__name__)
NETWORK = "network"


async def _addressees(
    session: AsyncSession, alert: Alert
) -> tuple[list[tuple[str, Contact | None]], bool]:
    """Who the alert goes to, and whether it fell back to the network's coordinators."""
    directory = await people.directory(session)
    by_id = {person.person_id: person for person in directory}
    found: list[tuple[str, Contact | None]] = [(pid, by_id.get(pid)) for pid in alert.person_ids]
    if not alert.roles:
        return found, False
    matched = recipients(directory, alert.roles, alert.branch)
    at_branch = alert.branch is None or any(alert.branch in p.branches for p in matched)
    fallback = not matched or not at_branch
    if not matched:
        matched = network_coordinators(directory)
    if fallback:
        UNMATCHED.labels(alert.kind).inc()
    return found + [(p.person_id, p) for p in matched], fallback


async def notify_each(
    session: AsyncSession,
    alerts: list[Alert],
    now: datetime,
    *,
    source_event_id: str,
    correlation_id: str,
) -> list[Notification]:
    """Several alerts of one event (one per branch): a person addressed by more than one hears
    once, by the first."""
    rows: list[Notification] = []
    for alert in alerts:
        rows += await notify(
            session,
            alert,
            now,
            source_event_id=source_event_id,
            correlation_id=correlation_id,
            skip=frozenset(row.person_id for row in rows),
        )
    return rows


async def notify(
    session: AsyncSession,
    alert: Alert,
    now: datetime,
    *,
    source_event_id: str,
    correlation_id: str,
    skip: frozenset[str] = frozenset(),
) -> list[Notification]:
    """One notification per addressee (but those in `skip`), with a delivery row per channel,
    in this transaction."""
    addressees, fallback = await _addressees(session, alert)
    addressees = [(pid, contact) for pid, contact in addressees if pid not in skip]
    if not addressees:
        UNHEARD.labels(alert.kind).inc()
        log.error(
            "alert %s about %s reached nobody: the directory has no network coordinator",
            alert.kind,
            alert.subject_id,
        )
        return []
    facts = checked(alert.kind, alert.facts)  # a fact off the allow-list is a bug: raise
    rows = []
    for person_id, contact in dict(addressees).items():
        language = spoken(contact.language if contact is not None else None)
        title, _ = render(alert.kind, language, facts, None)
        row = Notification(
            notification_id=uuid.uuid4().hex,
            person_id=person_id,
            kind=alert.kind,
            branch=alert.branch,
            subject_id=alert.subject_id,
            severity=alert.severity,
            title=title,
            facts=facts,
            state="queued",
            fallback=fallback,
            deadline_at=alert.deadline_at,
            source_event_id=source_event_id,
            correlation_id=correlation_id,
            created_at=now,
        )
        session.add(row)
        deliveries.plan(session, row.notification_id, alert.kind, contact, now)
        NOTIFICATIONS.labels(alert.kind).inc()
        rows.append(row)
    await session.flush()
    return rows


async def close_subject(session: AsyncSession, kind: str, subject_id: str, now: datetime) -> int:
    """Close the open notifications about something settled elsewhere (a crisis taken on)."""
    rows = list(
        await session.scalars(
            select(Notification).where(
                col(Notification.kind) == kind,
                col(Notification.subject_id) == subject_id,
                col(Notification.state).in_(OPEN),
            )
        )
    )
    for row in rows:
        row.state, row.closed_at = "closed", now
        row.version += 1
    await deliveries.cancel(session, [row.notification_id for row in rows], "closed")
    return len(rows)


async def acknowledge(
    session: AsyncSession, row: Notification, channel: str, now: datetime
) -> Notification:
    """The addressee took the alert on (once): a crisis tells sessions through the outbox."""
    taken = await changed_a_row(
        session,
        update(Notification)
        .where(
            col(Notification.notification_id) == row.notification_id,
            col(Notification.state).in_(OPEN),
        )
        .values(
            state="acknowledged",
            acknowledged_at=now,
            acknowledged_by=row.person_id,
            ack_channel=channel,
            version=col(Notification.version) + 1,
        )
        .execution_options(synchronize_session=False),
    )
    if not taken:  # settled already, or by a concurrent acknowledgement just now
        await session.refresh(row)
        raise Gone(f"this alert was {row.state} already; nothing was changed")
    await session.refresh(row)
    await deliveries.cancel(session, [row.notification_id], "acknowledged")
    if row.kind == "crisis":
        stage(session, acknowledged_event(row, channel, now))
    await session.flush()
    return row


def acknowledged_event(row: Notification, channel: str, now: datetime) -> AlertAcknowledged:
    """notify.alert.acknowledged.v1 for a crisis notification (pseudonymous ids only)."""
    return AlertAcknowledged(
        event_id=uuid.uuid4(),
        source=AlertAcknowledged.SOURCE,
        occurred_at=now,
        branch=row.branch or NETWORK,
        correlation_id=row.correlation_id,
        data=AlertAcknowledgement(
            notification_id=row.notification_id,
            kind="crisis",
            subject_id=row.subject_id,
            person_id=row.person_id,
            channel=channel,
            acknowledged_at=now,
            version=row.version,
        ),
    )


async def record_match(session: AsyncSession, match: MatchState) -> None:
    """Keep who mentors each stay (a match's newest version wins)."""
    row = await session.get(MentorMatch, match.match_id)
    if row is None:
        row = MentorMatch(
            match_id=match.match_id,
            episode_id=match.episode_id,
            mentor_id=match.mentor_id,
            active=match.status == "active",
            version=match.version,
        )
        session.add(row)
    elif match.version > row.version:
        row.mentor_id, row.active = match.mentor_id, match.status == "active"
        row.version = match.version


async def mentor_of(session: AsyncSession, episode_id: str) -> str | None:
    """The stay's mentor while a match of it is active, else None."""
    return await session.scalar(
        select(col(MentorMatch.mentor_id)).where(
            col(MentorMatch.episode_id) == episode_id, col(MentorMatch.active).is_(True)
        )
    )
