"""The consumer's runs: consecutive events of one batch handler's subjects in one call, other
subjects one event at a time in their place, duplicates dropped, and each staged event carrying
the trace of the event it answers."""

import json
from collections.abc import Sequence

from sqlalchemy import select
from sqlmodel import SQLModel, col

from helpers import events
from helpers.differential import FakeMsg, consumer_for
from shared import db
from shared.consumer import ConsumerSpec, in_trace_of
from shared.contracts.envelope import Event
from shared.contracts.intake import EpisodeAdmitted, PatientMerged, StayConsentChanged
from shared.contracts.registry import encode
from shared.outbox import OutboxRecord, stage


def _traceparent(n: int) -> dict[str, str]:
    return {"traceparent": f"00-{n:032x}-{n:016x}-01"}


async def test_runs_keep_the_order_and_each_staged_event_keeps_its_trace(tmp_path):
    engine = db.make_engine(f"sqlite+aiosqlite:///{tmp_path / 'runs.db'}")
    async with engine.begin() as connection:
        await connection.run_sync(SQLModel.metadata.create_all)
    calls: list[tuple[str, list[str]]] = []

    async def batch(session, run: Sequence[Event]) -> None:
        calls.append(("run", [e.SUBJECT for e in run]))
        for event in run:
            with in_trace_of(event):
                stage(session, event)  # echo it, to see the trace it is staged with

    async def single(session, event: Event) -> None:
        calls.append(("one", [event.SUBJECT]))

    spec = ConsumerSpec(
        name="runs",
        stream="SAATHI_INTAKE",
        filter_subject="intake.>",
        handlers={PatientMerged.SUBJECT: single},
        batch_handlers={EpisodeAdmitted.SUBJECT: batch, StayConsentChanged.SUBJECT: batch},
    )
    stay, other = events.episode(), events.episode()
    merge = events.merged(stay.patient_ref, other.patient_ref)
    admission = events.admitted(stay)
    stream = [admission, events.consent(stay), merge, events.admitted(other), admission]
    messages = [
        (FakeMsg(e.SUBJECT, encode(e), _traceparent(n + 1)), e) for n, e in enumerate(stream)
    ]
    sessions = db.make_sessionmaker(engine)
    try:
        await consumer_for(spec, sessions)._apply(messages)  # type: ignore[arg-type]
        async with sessions() as session:
            staged = list(
                await session.execute(
                    select(col(OutboxRecord.event_id), col(OutboxRecord.headers)).order_by(
                        col(OutboxRecord.id)
                    )
                )
            )
    finally:
        await engine.dispose()
    assert calls == [
        ("run", [EpisodeAdmitted.SUBJECT, StayConsentChanged.SUBJECT]),
        ("one", [PatientMerged.SUBJECT]),
        ("run", [EpisodeAdmitted.SUBJECT]),  # the redelivered admission is not applied again
    ]
    assert all(msg.acked for msg, _ in messages)
    traces = {event_id: json.loads(headers)["traceparent"][3:35] for event_id, headers in staged}
    assert traces == {
        str(stream[0].event_id): f"{1:032x}",
        str(stream[1].event_id): f"{2:032x}",
        str(stream[3].event_id): f"{4:032x}",
    }
