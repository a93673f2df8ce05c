"""Ops act on dead letters through notify, on a NATS server that admits only the platform's
users: notify runs as its own user and acts as the ops user; a replayed letter is published
again on its original subject and leaves the stream, a discarded one just leaves it, and who
did what, and why, is recorded. Other roles, missing reasons and a missing ops user are refused."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import nats
import pytest
from nats.js.api import ConsumerConfig, DeliverPolicy

from helpers.apps import FAST, RunningService, running
from helpers.auth import bearer
from helpers.notify import notify_app
from helpers.streams import messages_on
from helpers.waiting import wait_until
from notify.config import NotifySettings
from saathi_stack.nats_provision import provision
from saathi_stack.nats_server import EmbeddedNats
from saathi_stack.nats_users import NatsUsers
from saathi_stack.ports import free_port
from shared.deadletters import REPLAYED_FROM, send_to_dead_letters
from shared.streams import DEAD_LETTER_STREAM

OPS = bearer("ops", None, "ops-anna")
SUBJECT = "intake.episode.admitted.v1"
CONSUMER = "matching-intake-events"
LAST = DeliverPolicy.LAST  # the event just published


@pytest.fixture
async def secured(tmp_path: Path) -> AsyncIterator[tuple[str, NatsUsers]]:
    users = NatsUsers.ensure(tmp_path / "auth")
    server = EmbeddedNats(free_port(), tmp_path / "store", config_file=users.config_path)
    server.start()
    try:
        await provision(users.ops_url(server.url))
        yield server.url, users
    finally:
        server.stop()


@asynccontextmanager
async def notify_as(secured, dbs, **ops: Any) -> AsyncIterator[RunningService]:
    url, users = secured
    settings = NotifySettings(
        database_url=await dbs.url("notify"),
        nats_url=url,
        nats_user="notify",
        nats_password=users.passwords["notify"],
        manage_streams=False,
        delivery_interval_s=3600,
        **ops,
        **FAST,
    )
    async with running(notify_app(), settings) as service:
        yield service


@pytest.fixture
async def notify(secured, dbs) -> AsyncIterator[RunningService]:
    _, users = secured
    async with notify_as(
        secured, dbs, ops_nats_user="ops", ops_nats_password=users.passwords["ops"]
    ) as service:
        yield service


async def dead_letter(secured, event_id: str) -> None:
    """An event a consumer gave up on, dead-lettered the way consumers do it."""
    url, users = secured
    connection = await nats.connect(users.ops_url(url))
    try:
        js = connection.jetstream()
        await js.publish(SUBJECT, b'{"episode": "ep_1"}', headers={"Nats-Msg-Id": event_id})
        subscription = await js.pull_subscribe(
            SUBJECT, durable=f"test-{event_id}", config=ConsumerConfig(deliver_policy=LAST)
        )
        [msg] = await subscription.fetch(1, timeout=5)
        await send_to_dead_letters(js, CONSUMER, msg, "RuntimeError in handler")
        await msg.ack()
    finally:
        await connection.close()


async def letters(service: RunningService) -> list[dict[str, Any]]:
    answer = await service.client.get("/dead-letters", headers=OPS)
    assert answer.status_code == 200, answer.text
    return answer.json()


async def actions(service: RunningService) -> list[dict[str, Any]]:
    answer = await service.client.get("/dead-letters/actions", headers=OPS)
    assert answer.status_code == 200, answer.text
    return answer.json()


async def test_ops_replay_a_letter_onto_its_subject_and_the_action_is_recorded(notify, secured):
    await dead_letter(secured, "ev-1")
    [letter] = await wait_until(lambda: letters(notify), what="the dead letter listed")
    assert (letter["consumer"], letter["subject"]) == (CONSUMER, SUBJECT)
    assert letter["reason"] == "RuntimeError in handler" and letter["deliveries"] == 1
    assert "payload" not in letter and "ep_1" not in str(letter)  # the payload never shows

    reason = "matching fixed in 1.4.2"
    replayed = await notify.client.post(
        f"/dead-letters/{letter['sequence']}/replay", json={"reason": reason}, headers=OPS
    )

    assert replayed.status_code == 200, replayed.text
    url, users = secured
    copies = await messages_on(users.ops_url(url), "SAATHI_INTAKE", SUBJECT)
    again = [m for m in copies if m.headers.get(REPLAYED_FROM) == str(letter["sequence"])]
    assert len(again) == 1 and again[0].data == b'{"episode": "ep_1"}'
    assert await letters(notify) == []
    [done] = await actions(notify)
    assert (done["actor"], done["action"], done["sequence"]) == ("ops-anna", "replay", 1)
    assert (done["consumer"], done["subject"], done["reason"]) == (CONSUMER, SUBJECT, reason)
    gone = await notify.client.post(
        f"/dead-letters/{letter['sequence']}/replay", json={"reason": reason}, headers=OPS
    )
    assert gone.status_code == 404 and "replayed or discarded already" in gone.json()["detail"]


async def test_ops_discard_a_letter_with_a_reason_and_it_is_not_republished(notify, secured):
    await dead_letter(secured, "ev-2")
    [letter] = await wait_until(lambda: letters(notify), what="the dead letter listed")

    discarded = await notify.client.post(
        f"/dead-letters/{letter['sequence']}/discard",
        json={"reason": "  test event from the drill  "},
        headers=OPS,
    )

    assert discarded.status_code == 200, discarded.text
    assert await letters(notify) == []
    url, users = secured
    copies = await messages_on(users.ops_url(url), "SAATHI_INTAKE", SUBJECT)
    assert not [m for m in copies if REPLAYED_FROM in m.headers]
    [done] = await actions(notify)
    assert (done["actor"], done["action"]) == ("ops-anna", "discard")
    assert done["reason"] == "test event from the drill"


async def test_other_roles_and_reasonless_requests_change_nothing(notify, secured):
    await dead_letter(secured, "ev-3")
    [letter] = await wait_until(lambda: letters(notify), what="the dead letter listed")
    path = f"/dead-letters/{letter['sequence']}"

    coordinator = bearer("coordinator", None, "co-1")
    assert (await notify.client.get("/dead-letters", headers=coordinator)).status_code == 403
    refused = await notify.client.post(
        f"{path}/discard", json={"reason": "tidy"}, headers=coordinator
    )
    assert refused.status_code == 403 and "ops" in refused.json()["detail"]
    for body in (None, {}, {"reason": ""}, {"reason": "   "}, {"reason": "x" * 501}):
        answer = await notify.client.post(f"{path}/discard", json=body, headers=OPS)
        assert answer.status_code == 422, (body, answer.text)

    assert [row["sequence"] for row in await letters(notify)] == [letter["sequence"]]
    assert await actions(notify) == []


async def test_without_a_working_ops_user_the_endpoints_say_what_to_set(secured, dbs):
    async with notify_as(secured, dbs) as unset:
        answer = await unset.client.get("/dead-letters", headers=OPS)
        assert answer.status_code == 503
        assert "NOTIFY_OPS_NATS_USER/PASSWORD" in answer.json()["detail"]
    async with notify_as(secured, dbs, ops_nats_user="ops", ops_nats_password="wrong") as bad:
        answer = await bad.client.post(
            "/dead-letters/1/discard", json={"reason": "tidy"}, headers=OPS
        )
        assert answer.status_code == 503
        assert "check that NATS is up and NOTIFY_OPS_NATS_USER" in answer.json()["detail"]


async def test_the_stream_keeps_the_letters_until_ops_act(notify, secured):
    """Listing is read-only: the letters are still stored however often ops look."""
    await dead_letter(secured, "ev-4")
    await dead_letter(secured, "ev-5")
    listed = await wait_until(lambda: letters(notify), lambda rows: len(rows) == 2, what="two")
    assert [row["sequence"] for row in listed] == sorted(row["sequence"] for row in listed)
    url, users = secured
    connection = await nats.connect(users.ops_url(url))
    try:
        info = await connection.jetstream().stream_info(DEAD_LETTER_STREAM)
    finally:
        await connection.close()
    assert info.state.messages == 2


def test_an_ops_user_without_its_password_stops_the_start():
    with pytest.raises(ValueError, match="NOTIFY_OPS_NATS_PASSWORD"):
        NotifySettings(ops_nats_user="ops")
