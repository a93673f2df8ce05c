"""A crisis alert acknowledged on a notify channel (console, e-mailed link, text) acknowledges
the crisis in sessions over real JetStream, by the rules of `POST /crises/{id}/acknowledge`:
only someone alerted; a repeat, or an acknowledgement of a crisis already taken on or resolved,
changes nothing."""

import json
import uuid
from datetime import UTC, datetime
from functools import partial

from helpers.apps import FAST, FakeClock, running
from helpers.backends import Databases
from helpers.events import Publisher
from helpers.sessions import known_matches, match
from helpers.streams import stream_messages
from helpers.waiting import wait_until
from sessions.app import create_app
from sessions.config import SessionsSettings
from shared.contracts.notify import AlertAcknowledged, AlertAcknowledgement

BRANCH = "kol-salt-lake"
CHAIN = [
    {"person_id": "dr-first", "role": "clinician"},
    {"person_id": "lead-1", "role": "branch_lead"},
]


def acknowledged(crisis_id: str, person_id: str) -> AlertAcknowledged:
    """What notify publishes when `person_id` follows the link in their crisis e-mail."""
    data = AlertAcknowledgement(
        notification_id=f"nt_{uuid.uuid4().hex[:12]}",
        kind="crisis",
        subject_id=crisis_id,
        person_id=person_id,
        channel="email",
        acknowledged_at=datetime.now(UTC),
        version=2,
    )
    return AlertAcknowledged.new(data, branch=BRANCH)


async def crisis_events(nats_url: str, kind: str) -> list[dict]:
    return [
        json.loads(m.data)["data"]
        for m in await stream_messages(nats_url, "SAATHI_SESSIONS")
        if m.subject == f"sessions.crisis.{kind}.v1"
    ]


async def flagged(service, nats_url: str, match_id: str) -> str:
    await known_matches(service, nats_url, match(match_id, f"pt_{match_id}", branch=BRANCH))
    flag = {"match_id": match_id, "severity": "critical"}
    response = await service.client.post("/crises", json=flag)
    assert response.status_code == 201, response.text
    return response.json()["crisis_id"]


async def test_an_acknowledgement_from_notify_takes_the_crisis_on_once(clean_nats, dbs: Databases):
    config = SessionsSettings(database_url=await dbs.url("sessions"), nats_url=clean_nats, **FAST)
    async with running(partial(create_app, clock=FakeClock()), config) as service:
        await service.client.put(f"/duty-rosters/{BRANCH}", json={"chain": CHAIN})
        crisis_id = await flagged(service, clean_nats, "mt_ack")
        first = acknowledged(crisis_id, "dr-first")
        async with Publisher(clean_nats) as publisher:
            await publisher.event(acknowledged(crisis_id, "lead-1"))  # not alerted yet: ignored
            await publisher.event(first)
            await publisher.event(first, msg_id="redelivered")  # the same event again
            await publisher.event(acknowledged(crisis_id, "dr-first"))  # a second click

        async def crisis() -> dict:
            return (await service.client.get(f"/crises/{crisis_id}")).json()

        row = await wait_until(
            crisis, lambda row: row["status"] == "acknowledged", what="the crisis taken on"
        )
        assert row["acknowledged_by"] == "dr-first"
        await wait_until(
            lambda: service.client.get("/readyz"),
            lambda response: response.json()["checks"]["consumer:sessions-notify-events"]["ok"],
            what="the notify consumer healthy",
        )
    events = await wait_until(
        lambda: crisis_events(clean_nats, "acknowledged"), what="the acknowledged event"
    )
    assert [event["crisis_id"] for event in events] == [crisis_id]


async def test_an_acknowledgement_of_a_resolved_crisis_changes_nothing(clean_nats, dbs: Databases):
    config = SessionsSettings(database_url=await dbs.url("sessions"), nats_url=clean_nats, **FAST)
    async with running(partial(create_app, clock=FakeClock()), config) as service:
        await service.client.put(f"/duty-rosters/{BRANCH}", json={"chain": CHAIN})
        resolved_id = await flagged(service, clean_nats, "mt_resolved")
        later_id = await flagged(service, clean_nats, "mt_later")
        resolve = {"person_id": "dr-first", "resolution": "seen, safe plan"}
        await service.client.post(f"/crises/{resolved_id}/resolve", json=resolve)
        async with Publisher(clean_nats) as publisher:
            await publisher.event(acknowledged(resolved_id, "dr-first"))
            await publisher.event(acknowledged(later_id, "dr-first"))  # after it, in order
        await wait_until(
            lambda: service.client.get(f"/crises/{later_id}"),
            lambda response: response.json()["status"] == "acknowledged",
            what="the later crisis taken on",
        )
        resolved = (await service.client.get(f"/crises/{resolved_id}")).json()
    assert resolved["status"] == "resolved" and resolved["version"] == 2
