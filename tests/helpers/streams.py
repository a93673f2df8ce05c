"""Read what landed in a JetStream stream (to check events and dead letters)."""

import contextlib
from dataclasses import dataclass

import nats
from nats.js.errors import NotFoundError


@dataclass(frozen=True)
class StoredMessage:
    """A message as stored in a stream."""

    subject: str
    data: bytes
    headers: dict[str, str]


async def stream_messages(url: str, stream: str) -> list[StoredMessage]:
    """Every message currently stored in `stream` (empty if the stream does not exist)."""
    connection = await nats.connect(url)
    try:
        js = connection.jetstream()
        try:
            info = await js.stream_info(stream)
        except NotFoundError:
            return []
        found: list[StoredMessage] = []
        if not info.state.messages:
            return found
        for sequence in range(info.state.first_seq, info.state.last_seq + 1):
            with contextlib.suppress(NotFoundError):
                raw = await js.get_msg(stream, sequence)
                found.append(
                    StoredMessage(raw.subject or "", raw.data or b"", dict(raw.headers or {}))
                )
        return found
    finally:
        await connection.close()


async def messages_on(url: str, stream: str, subject_prefix: str) -> list[StoredMessage]:
    """The messages in `stream` whose subject starts with `subject_prefix`."""
    return [m for m in await stream_messages(url, stream) if m.subject.startswith(subject_prefix)]
