"""Listing, replaying and discarding dead letters as the ops user, each action recorded."""

import uuid
from datetime import datetime

from nats.js import JetStreamContext
from nats.js.errors import NotFoundError
from sqlalchemy.ext.asyncio import AsyncSession

from notify.deadletters.connection import OpsNats
from notify.deadletters.models import DeadLetterAction
from notify.deadletters.schemas import Action, DeadLetterView
from shared.deadletters import CONSUMER, ORIGINAL_SUBJECT, list_dead_letters, replay_dead_letter
from shared.errors import Conflict, NotFound
from shared.streams import DEAD_LETTER_STREAM


async def letters(ops: OpsNats, limit: int) -> list[DeadLetterView]:
    """The oldest stored dead letters, up to `limit`, without their payloads."""
    async with ops.jetstream() as js:
        try:
            stored = await list_dead_letters(js, limit)
        except NotFoundError:
            return []  # no dead-letter stream yet: nothing ever failed
    return [
        DeadLetterView(
            sequence=letter.sequence,
            consumer=letter.consumer,
            subject=letter.subject,
            reason=letter.reason,
            deliveries=letter.deliveries,
            stored_at=letter.stored_at,
        )
        for letter in stored
    ]


async def _headers_of(js: JetStreamContext, sequence: int) -> dict[str, str]:
    try:
        raw = await js.get_msg(DEAD_LETTER_STREAM, sequence)
    except NotFoundError:
        raise NotFound(
            f"no dead letter {sequence}: it was replayed or discarded already; "
            "list the dead letters again"
        ) from None
    return dict(raw.headers or {})


async def act(
    session: AsyncSession,
    ops: OpsNats,
    sequence: int,
    action: Action,
    reason: str,
    actor: str,
    now: datetime,
) -> DeadLetterAction:
    """Replay (publish again on its subject) or discard a letter, recorded in `session`: the
    record is written first and committed after, so an action NATS refused leaves none."""
    async with ops.jetstream() as js:
        headers = await _headers_of(js, sequence)
        subject = headers.get(ORIGINAL_SUBJECT)
        if action == "replay" and not subject:
            raise Conflict(
                f"dead letter {sequence} does not say which subject it came from; discard it"
            )
        row = DeadLetterAction(
            action_id=uuid.uuid4().hex,
            actor=actor[:200],
            action=action,
            sequence=sequence,
            consumer=headers.get(CONSUMER, "?")[:200],
            subject=(subject or "?")[:200],
            reason=reason,
            at=now,
        )
        session.add(row)
        await session.flush()
        try:
            if action == "replay":
                await replay_dead_letter(js, sequence)
            else:
                await js.delete_msg(DEAD_LETTER_STREAM, sequence)
        except NotFoundError:  # someone else took it in between
            raise NotFound(f"dead letter {sequence} was just taken by someone else") from None
    return row
