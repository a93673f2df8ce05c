"""Dead-letter stream: where undeliverable events wait, with the reason, for ops to replay."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from shared.streams import DEAD_LETTER_PREFIX, DEAD_LETTER_STREAM

REASON = "Saathi-DL-Reason"
ORIGINAL_SUBJECT = "Saathi-DL-Subject"
ORIGINAL_SEQUENCE = "Saathi-DL-Stream-Seq"
CONSUMER = "Saathi-DL-Consumer"
DELIVERIES = "Saathi-DL-Deliveries"
REPLAYED_FROM = "Saathi-Replayed-From"


@dataclass(frozen=True)
class DeadLetter:
    """One dead-lettered event as stored in the dead-letter stream."""

    sequence: int
    consumer: str
    subject: str
    reason: str
    deliveries: int
    stored_at: datetime
    payload: bytes


async def send_to_dead_letters(js: JetStreamContext, consumer: str, msg: Msg, reason: str) -> None:
    """Copy a message, with why it failed, to the dead-letter stream (deduplicated per source)."""
    metadata = msg.metadata
    headers = {key: value for key, value in (msg.headers or {}).items() if key != "Nats-Msg-Id"}
    headers.update(
        {
            REASON: reason[:1000],
            ORIGINAL_SUBJECT: msg.subject,
            ORIGINAL_SEQUENCE: str(metadata.sequence.stream),
            CONSUMER: consumer,
            DELIVERIES: str(metadata.num_delivered),
            "Nats-Msg-Id": f"dl-{consumer}-{metadata.stream}-{metadata.sequence.stream}",
        }
    )
    await js.publish(f"{DEAD_LETTER_PREFIX}.{consumer}", msg.data, headers=headers)


async def list_dead_letters(js: JetStreamContext, limit: int = 100) -> list[DeadLetter]:
    """The oldest dead letters still stored, up to `limit`."""
    info = await js.stream_info(DEAD_LETTER_STREAM)
    letters: list[DeadLetter] = []
    sequence = info.state.first_seq
    while sequence and sequence <= info.state.last_seq and len(letters) < limit:
        try:
            raw = await js.get_msg(DEAD_LETTER_STREAM, sequence)
        except NotFoundError:
            sequence += 1
            continue
        headers = raw.headers or {}
        letters.append(
            DeadLetter(
                sequence=sequence,
                consumer=headers.get(CONSUMER, "?"),
                subject=headers.get(ORIGINAL_SUBJECT, "?"),
                reason=headers.get(REASON, "?"),
                deliveries=int(headers.get(DELIVERIES, "0")),
                stored_at=raw.time if isinstance(raw.time, datetime) else datetime.now(UTC),
                payload=raw.data or b"",
            )
        )
        sequence += 1
    return letters


async def replay_dead_letter(js: JetStreamContext, sequence: int) -> str:
    """Publish a dead letter again on its original subject, then remove it; return the subject."""
    raw = await js.get_msg(DEAD_LETTER_STREAM, sequence)
    headers = dict(raw.headers or {})
    subject = headers[ORIGINAL_SUBJECT]
    carried = {
        key: value
        for key, value in headers.items()
        if not key.startswith("Saathi-DL-") and key != "Nats-Msg-Id"
    }
    carried[REPLAYED_FROM] = str(sequence)
    carried["Nats-Msg-Id"] = f"replay-{sequence}-{uuid.uuid4()}"
    await js.publish(subject, raw.data or b"", headers=carried)
    await js.delete_msg(DEAD_LETTER_STREAM, sequence)
    return subject
