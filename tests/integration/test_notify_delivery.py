"""The delivery worker with a provider that fails when told to: a transient failure is
retried with growing back-off and then sent; a delivery that keeps failing is reported
failed; a crash between the send and its record sends again with the same delivery_id, so
a provider that keys on it keeps one message; quiet hours hold back all but crises."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from helpers.apps import FAST, FakeClock, running
from helpers.notify import BRANCH, FakeProvider, crisis, notify_app, person
from notify.alerts import domain, handlers
from notify.config import NotifySettings
from notify.delivery.metrics import FAILED
from notify.delivery.models import Delivery
from notify.delivery.worker import DeliveryWorker
from shared.contracts.sessions import CrisisState


@pytest.fixture
def clock():
    return FakeClock(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))  # 14:30 in Kolkata


@pytest.fixture
def provider():
    return FakeProvider()


@pytest.fixture
async def notify(clean_nats, dbs, clock, provider):
    settings = NotifySettings(
        database_url=await dbs.url("notify"),
        nats_url=clean_nats,
        delivery_interval_s=3600,
        delivery_max_attempts=3,
        delivery_retry_base_s=5,
        delivery_lease_s=60,
        **FAST,
    )
    async with running(notify_app(clock, provider), settings) as service:
        body = person(
            ["clinician", "coordinator"],
            email="duty@example.org",
            channels={"coordinator_task": ["email"]},
            quiet_hours={"start": "14:00", "end": "16:00"},
        )
        assert (await service.client.put("/people/dr_duty", json=body)).status_code == 200
        yield service


def worker(service) -> DeliveryWorker:
    [found] = [job for job in service.runtime.listeners if isinstance(job, DeliveryWorker)]
    return found


def on_duty(clock, person_id: str) -> CrisisState:
    """A crisis alerting `person_id`, due for acknowledgement 10 minutes from now."""
    due = clock.now() + timedelta(minutes=10)
    return crisis(person_id).model_copy(update={"deadline_at": due, "flagged_at": clock.now()})


async def raise_alert(service, clock, kind="crisis", to="dr_duty") -> str:
    if kind == "crisis":
        alert = domain.crisis_alert(on_duty(clock, to), False, clock.now(), "Asia/Kolkata")
    else:
        alert = domain.waitlist_alert(BRANCH, "ep_0009", "waitlist")
    async with service.runtime.unit_of_work() as session:
        [row] = await handlers.notify(
            session, alert, clock.now(), source_event_id=str(uuid.uuid4()), correlation_id="c"
        )
        return row.notification_id


async def email_of(service, notification_id) -> Delivery:
    async with service.runtime.sessionmaker() as session:
        return await session.scalar(
            select(Delivery).where(
                Delivery.notification_id == notification_id, Delivery.channel == "email"
            )
        )


async def state_of(service, notification_id) -> str:
    [row] = (await service.client.get("/notifications")).json()
    assert row["notification_id"] == notification_id
    return row["state"]


async def test_a_transient_failure_is_retried_with_back_off_then_sent(notify, clock, provider):
    notification_id = await raise_alert(notify, clock)
    provider.fail(2)
    job = worker(notify)

    await job.check()
    first = await email_of(notify, notification_id)
    clock.advance(seconds=4)
    assert await job.check() == 0  # not due yet
    clock.advance(seconds=1)
    await job.check()
    second = await email_of(notify, notification_id)
    clock.advance(seconds=10)
    await job.check()
    sent = await email_of(notify, notification_id)

    assert (first.state, first.attempts, first.last_reason) == ("pending", 1, "421 try again later")
    assert (first.due_at - datetime(2026, 12, 1, 9, 0, tzinfo=UTC)).total_seconds() == 5
    assert (second.state, second.attempts) == ("pending", 2)
    assert (second.due_at - first.due_at).total_seconds() == 10  # doubled
    assert (sent.state, sent.attempts) == ("sent", 3)
    assert await state_of(notify, notification_id) == "sent"
    [message] = provider.received.values()
    assert message.delivery_id == sent.delivery_id and message.address == "duty@example.org"
    assert message.ack_url and "/ack/" in message.ack_url and message.ack_url.endswith("via=email")
    assert "pt_" not in message.body + message.subject


async def test_a_delivery_that_keeps_failing_is_reported_failed(notify, clock, provider):
    notification_id = await raise_alert(notify, clock)
    provider.fail(10)
    before = FAILED.labels("email")._value.get()
    job = worker(notify)

    for _ in range(3):
        await job.check()
        clock.advance(seconds=60)
    await job.check()

    failed = await email_of(notify, notification_id)
    assert (failed.state, failed.attempts) == ("failed", 3)
    assert len(provider.calls) == 3
    assert FAILED.labels("email")._value.get() == before + 1
    assert await state_of(notify, notification_id) == "failed"


async def test_a_crash_between_send_and_record_sends_again_under_the_same_id(
    notify, clock, provider
):
    notification_id = await raise_alert(notify, clock)
    job = worker(notify)
    async with notify.runtime.unit_of_work() as session:
        [claim] = await job._claim(session)
    await job._send(claim)  # the provider has it; the process dies before recording it

    clock.advance(seconds=30)
    assert await job.check() == 0  # the lease still holds
    clock.advance(seconds=31)
    await job.check()

    delivery = await email_of(notify, notification_id)
    assert provider.calls == [delivery.delivery_id, delivery.delivery_id]  # at least once
    assert list(provider.received) == [delivery.delivery_id]  # kept once by its id
    assert delivery.state == "sent"


async def test_quiet_hours_hold_back_a_task_but_never_a_crisis(notify, clock, provider):
    task = await raise_alert(notify, clock, kind="task")
    crisis = await raise_alert(notify, clock, kind="crisis")

    await worker(notify).check()

    held = await email_of(notify, task)
    assert held.state == "pending"
    assert held.due_at == datetime(2026, 12, 1, 10, 30, tzinfo=UTC)  # 16:00 in Kolkata
    assert (await email_of(notify, crisis)).state == "sent"


async def test_a_crisis_email_names_no_patient_and_speaks_the_persons_language(
    notify, clock, provider
):
    body = person(["clinician"], email="daktar@example.org", language="bn")
    assert (await notify.client.put("/people/dr_bn", json=body)).status_code == 200
    english, bengali = on_duty(clock, "dr_duty"), on_duty(clock, "dr_bn")
    async with notify.runtime.unit_of_work() as session:
        for state in (english, bengali):
            alert = domain.crisis_alert(state, False, clock.now(), "Asia/Kolkata")
            await handlers.notify(
                session, alert, clock.now(), source_event_id=str(uuid.uuid4()), correlation_id="c"
            )

    await worker(notify).check()

    sent = {message.address: message for message in provider.received.values()}
    en, bn = sent["duty@example.org"], sent["daktar@example.org"]
    assert en.subject == f"Saathi: crisis alert (high) at {BRANCH} — acknowledge within 10 min"
    assert "14:40 IST" in en.body and english.crisis_id in en.body  # 09:10 UTC in Kolkata
    assert bn.language == "bn" and "সংকট সতর্কতা (উচ্চ)" in bn.subject
    assert "১০ মিনিটের মধ্যে স্বীকার করুন" in bn.subject and "স্বীকার করতে: " in bn.body
    for message, state in ((en, english), (bn, bengali)):
        assert state.patient_ref not in message.subject + message.body
        assert state.crisis_id not in message.subject and "pt_" not in message.subject
        assert message.ack_url and message.ack_url in message.body
