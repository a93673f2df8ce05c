"""The figures ops alert on move when the thing happens: a consumer's backlog on a real
nats-server, the age of an event the relay cannot publish (and the failing readiness check),
the time from admission to a first match, and an open crisis nobody acknowledged (before and
after its deadline)."""

import asyncio
from datetime import UTC, datetime, timedelta

import nats
from sqlalchemy import delete
from sqlmodel import col

from helpers import events, factories
from helpers.apps import FAST, FakeClock, running
from helpers.backends import Databases
from helpers.events import Publisher
from helpers.matching import admit_with_consent, matches, matching_running
from helpers.metrics import value
from helpers.sessions import known_matches, match, sessions_running
from helpers.waiting import wait_until
from intake.app import create_app as create_intake
from intake.config import IntakeSettings
from shared.consumer import ConsumerSpec, ReliableConsumer
from shared.contracts.registry import encode
from shared.db import make_engine, make_sessionmaker
from shared.migrations import upgrade
from shared.outbox import OutboxRecord


async def test_a_consumers_backlog_is_its_pending_and_ack_pending_messages(clean_nats, dbs):
    url = await dbs.url("intake")
    await upgrade("intake", url)  # any service schema has the inbox table
    engine = make_engine(url)
    release = asyncio.Event()

    async def slow_handler(session, event):
        await release.wait()

    admissions = [events.admitted(events.episode()) for _ in range(5)]
    async with Publisher(clean_nats) as publisher:
        for admission in admissions:
            await publisher.event(admission)
    connection = await nats.connect(clean_nats)
    spec = ConsumerSpec(
        "test-backlog", "SAATHI_INTAKE", "intake.>", {admissions[0].SUBJECT: slow_handler}
    )
    consumer = ReliableConsumer(
        spec, make_sessionmaker(engine), connection.jetstream(), on_commit=lambda: None
    )
    await consumer.start()
    try:

        async def backlog() -> tuple[float, float]:
            await consumer.health()  # what a readiness probe does
            return (
                value("saathi_consumer_pending_messages", consumer="test-backlog"),
                value("saathi_consumer_ack_pending_messages", consumer="test-backlog"),
            )

        # One batch is in the handler (delivered, not acked); the rest wait in the stream.
        pending, in_flight = await wait_until(backlog, lambda b: b[1] > 0, what="a batch taken")
        assert pending + in_flight == 5
        release.set()
        await wait_until(backlog, lambda b: b == (0.0, 0.0), what="the backlog drained")
    finally:
        release.set()
        await consumer.stop()
        await connection.close()
        await engine.dispose()


async def test_an_event_the_relay_cannot_publish_shows_its_age(clean_nats, dbs):
    settings = IntakeSettings(database_url=await dbs.url("intake"), nats_url=clean_nats, **FAST)
    stuck = events.admitted(events.episode())
    async with running(create_intake, settings) as intake:
        async with intake.runtime.unit_of_work() as session:
            # No stream takes this subject, so every publish of it fails and it stays pending.
            session.add(
                OutboxRecord(
                    event_id=str(stuck.event_id),
                    subject="nowhere.episode.admitted.v1",
                    payload=encode(stuck),
                    created_at=datetime.now(UTC) - timedelta(minutes=10),
                )
            )

        async def backlog() -> tuple[float, float, float]:
            await intake.client.get("/readyz")  # what a readiness probe does
            return (
                value("saathi_outbox_pending", service="intake"),
                value("saathi_outbox_oldest_age_seconds", service="intake"),
                value("saathi_readiness_check_ok", service="intake", check="outbox"),
            )

        _, age, _ = await wait_until(
            backlog, lambda b: b[0] == 1 and b[2] == 0, what="the stuck row, outbox not ready"
        )
        assert 600 <= age < 660
        async with intake.runtime.unit_of_work() as session:
            await session.execute(
                delete(OutboxRecord).where(col(OutboxRecord.event_id) == str(stuck.event_id))
            )
        assert await wait_until(backlog, lambda b: b[2] == 1, what="the outbox ready") == (
            0.0,
            0.0,
            1.0,
        )


async def test_the_time_from_admission_to_first_match_is_observed_per_branch(
    clean_nats, dbs: Databases
):
    branch = {"branch": "kol-salt-lake"}
    count = value("saathi_admission_to_match_seconds_count", **branch)
    total = value("saathi_admission_to_match_seconds_sum", **branch)
    async with matching_running(clean_nats, dbs) as service:
        await service.client.post("/mentors", json=factories.mentor(mentor_id="m1"))
        async with Publisher(clean_nats) as publisher:
            state = await admit_with_consent(
                publisher, admitted_at=datetime.now(UTC) - timedelta(hours=2)
            )
        await wait_until(lambda: matches(service, episode_id=state.episode_id), what="a match")
    assert value("saathi_admission_to_match_seconds_count", **branch) == count + 1
    waited = value("saathi_admission_to_match_seconds_sum", **branch) - total
    assert 2 * 3600 <= waited < 2 * 3600 + 60


async def test_an_unacknowledged_crisis_is_counted_and_flagged_overdue_after_its_deadline(
    clean_nats, dbs: Databases
):
    clock = FakeClock()
    labels = {"branch": "kol-salt-lake", "severity": "critical"}
    async with sessions_running(clean_nats, dbs, clock, crisis_check_interval_s=3600) as service:
        [job] = [x for x in service.runtime.listeners if x.name == "crisis-escalations"]
        await known_matches(service, clean_nats, match("mt_obs", "pt_obs"))
        flagged = await service.client.post(
            "/crises", json={"match_id": "mt_obs", "severity": "critical"}
        )
        assert flagged.status_code == 201, flagged.text
        assert value("saathi_crises_unacknowledged", **labels) == 1
        assert value("saathi_crises_unacknowledged_overdue", **labels) == 0

        clock.advance(minutes=6)  # past the 5 minutes a critical crisis has
        await job.check()
        assert value("saathi_crises_unacknowledged_overdue", **labels) == 1
        assert value("saathi_crises_unacknowledged_oldest_seconds", **labels) == 360

        crisis = flagged.json()
        person = crisis["alerts"][-1]["person_id"]
        answered = await service.client.post(
            f"/crises/{crisis['crisis_id']}/acknowledge", json={"person_id": person}
        )
        assert answered.status_code == 200, answered.text
        await job.check()
        assert value("saathi_crises_unacknowledged", **labels) == 0
        assert value("saathi_crises_unacknowledged_overdue", **labels) == 0
        assert value("saathi_crises_unacknowledged_oldest_seconds", **labels) == 0
