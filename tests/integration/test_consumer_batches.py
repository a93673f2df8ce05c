"""The reliable consumer applies an event once even when a redelivery lands in the same batch."""

import nats

from helpers import events
from helpers.events import Publisher
from helpers.waiting import wait_until
from shared.consumer import ConsumerSpec, ReliableConsumer
from shared.db import make_engine, make_sessionmaker
from shared.migrations import upgrade


async def test_a_duplicate_inside_one_batch_is_applied_once(clean_nats, dbs):
    url = await dbs.url("intake")
    await upgrade("intake", url)  # any service schema has the inbox table
    engine = make_engine(url)
    applied = []

    async def handler(session, event):
        applied.append(event.event_id)

    admission = events.admitted(events.episode())
    async with Publisher(clean_nats) as publisher:
        # Both copies are stored before the consumer starts, so one fetch takes them together.
        await publisher.event(admission, msg_id="first-copy")
        await publisher.event(admission, msg_id="second-copy")
    connection = await nats.connect(clean_nats)
    js = connection.jetstream()
    spec = ConsumerSpec(
        "test-duplicates", "SAATHI_INTAKE", "intake.>", {admission.SUBJECT: handler}
    )
    consumer = ReliableConsumer(spec, make_sessionmaker(engine), js, on_commit=lambda: None)
    await consumer.start()
    try:

        async def settled():
            info = await js.consumer_info("SAATHI_INTAKE", "test-duplicates")
            return info.num_pending + info.num_ack_pending

        await wait_until(settled, lambda left: left == 0, what="both copies acked")
    finally:
        await consumer.stop()
        await connection.close()
        await engine.dispose()
    assert applied == [admission.event_id]
