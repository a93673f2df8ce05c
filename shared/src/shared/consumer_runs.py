"""Batch handlers of a consumer: a run of consecutive events applied in one call, in one span
linked to every event's trace, and each event's own trace at hand while staging for it."""

import contextlib
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from contextvars import ContextVar

from nats.aio.msg import Msg
from opentelemetry import context as otel_context
from opentelemetry import trace
from sqlalchemy.ext.asyncio import AsyncSession

from shared.contracts.envelope import Event
from shared.tracing import context_from_headers, tracer

# Applies one event in the batch's transaction.
Handler = Callable[[AsyncSession, Event], Awaitable[None]]
# Applies a run of consecutive events (of the subjects it serves), in their order, in the
# batch's transaction.
BatchHandler = Callable[[AsyncSession, Sequence[Event]], Awaitable[None]]

# The trace headers of each event of the run being applied, by event id (`in_trace_of`).
_RUN_HEADERS: ContextVar[Mapping[str, Mapping[str, str] | None] | None] = ContextVar(
    "saathi_run_headers", default=None
)


@contextlib.contextmanager
def in_trace_of(event: Event) -> Iterator[None]:
    """Within a batch handler: make `event`'s own trace current, so what is staged for it
    (`shared.outbox.stage`) carries its input's trace rather than the run's."""
    headers = (_RUN_HEADERS.get() or {}).get(str(event.event_id))
    if headers is None:
        yield
        return
    token = otel_context.attach(context_from_headers(headers))
    try:
        yield
    finally:
        otel_context.detach(token)


async def apply_run(
    consumer: str, handler: BatchHandler, session: AsyncSession, run: list[tuple[Msg, Event]]
) -> None:
    """Call `handler` once for the run, in a span that continues the first event's trace and
    links to the others'."""
    others = [trace.get_current_span(context_from_headers(m.headers)) for m, _ in run[1:]]
    token = _RUN_HEADERS.set({str(e.event_id): m.headers for m, e in run})
    try:
        with tracer().start_as_current_span(
            f"consume {run[0][0].subject}",
            context=context_from_headers(run[0][0].headers),
            kind=trace.SpanKind.CONSUMER,
            links=[trace.Link(span.get_span_context()) for span in others],
            attributes={
                "messaging.consumer.group.name": consumer,
                "messaging.batch.message_count": len(run),
            },
        ):
            await handler(session, [event for _, event in run])
    finally:
        _RUN_HEADERS.reset(token)


async def apply_each(
    consumer: str, handler: Handler, session: AsyncSession, run: list[tuple[Msg, Event]]
) -> None:
    """Call a per-event `handler` for each event of the run, each in a span continuing its
    own trace."""
    for msg, event in run:
        with tracer().start_as_current_span(
            f"consume {msg.subject}",
            context=context_from_headers(msg.headers),
            kind=trace.SpanKind.CONSUMER,
            attributes={"messaging.consumer.group.name": consumer},
        ):
            await handler(session, event)
