"""Notify's API in-process: the directory (coordinators, and a person's own preferences),
notifications within a coordinator's reach, acknowledging (the addressee, or a coordinator
for them), and the signed ack link (confirm page, once, expiry, tampering)."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from helpers.apps import FAST, FakeClock, running
from helpers.auth import bearer
from helpers.notify import BRANCH, SIGNER, notify_app, person
from notify.alerts import domain, handlers
from notify.config import NotifySettings
from shared.outbox import OutboxRecord

OTHER = "kol-behala"


@pytest.fixture
def clock():
    return FakeClock(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))


@pytest.fixture
async def notify(clean_nats, dbs, clock):
    settings = NotifySettings(
        database_url=await dbs.url("notify"),
        nats_url=clean_nats,
        delivery_interval_s=3600,
        **FAST,
    )
    async with running(notify_app(clock), settings) as service:
        for person_id, body in {
            "dr_1": person(["clinician"], email="dr1@example.org"),
            "co_1": person(["coordinator"]),
            "co_2": person(["coordinator"], [OTHER]),
            "co_net": person(["coordinator"], []),
        }.items():
            answer = await service.client.put(f"/people/{person_id}", json=body)
            assert answer.status_code == 200, answer.text
        yield service


async def alert(service, clock, kind="crisis", branch=BRANCH, to=("dr_1",)):
    """Raise an alert the way a consumer would; its notification ids."""
    if kind == "crisis":
        facts = {"severity": "high", "branch": branch, "ref": "cr_0001"}
        what = domain.Alert("crisis", branch, "cr_0001", facts, person_ids=to, severity="high")
    else:
        what = domain.waitlist_alert(branch, "ep_0001", "waitlist")
    async with service.runtime.unit_of_work() as session:
        rows = await handlers.notify(
            session, what, clock.now(), source_event_id=str(uuid.uuid4()), correlation_id="c-1"
        )
        return [row.notification_id for row in rows]


async def test_a_person_reads_and_tunes_their_own_entry_but_not_their_roles(notify):
    mine = bearer("clinician", BRANCH, subject="dr_1")
    prefs = person(
        ["clinician"], email="dr1@example.org", quiet_hours={"start": "22:00", "end": "07:00"}
    )

    changed = await notify.client.put("/people/dr_1", json=prefs, headers=mine)
    promoted = await notify.client.put("/people/dr_1", json=person(["coordinator"]), headers=mine)
    others = await notify.client.get("/people/co_1", headers=mine)

    assert changed.status_code == 200 and changed.json()["quiet_hours"]["start"] == "22:00"
    assert promoted.status_code == 403
    assert others.status_code == 404
    assert (await notify.client.get("/people/dr_1")).json()["roles"] == ["clinician"]


@pytest.mark.parametrize(
    "bad",
    [
        {"timezone": "Mars/Olympus"},
        {"quiet_hours": {"start": "25:00", "end": "07:00"}},
        {"channels": {"crisis": ["pigeon"]}},
        {"email": "not-an-address"},
        {"roles": []},
    ],
)
async def test_a_bad_entry_is_refused_with_a_reason_and_changes_nothing(notify, bad):
    answer = await notify.client.put("/people/dr_1", json={**person(["clinician"]), **bad})

    assert answer.status_code == 422
    assert (await notify.client.get("/people/dr_1")).json()["email"] == "dr1@example.org"


async def test_coordinators_list_notifications_of_their_branch_only(notify, clock):
    await alert(notify, clock, kind="crisis", branch=BRANCH)
    await alert(notify, clock, kind="task", branch=OTHER)

    network = await notify.client.get("/notifications")
    branch = await notify.client.get("/notifications", headers=bearer("coordinator", BRANCH))
    tasks = await notify.client.get("/notifications", params={"kind": "coordinator_task"})
    clinician = await notify.client.get("/notifications", headers=bearer("clinician", BRANCH))

    assert {n["branch"] for n in network.json()} == {BRANCH, OTHER}
    assert {n["branch"] for n in branch.json()} == {BRANCH}
    assert [n["person_id"] for n in tasks.json()] == ["co_2"]  # the other branch's coordinator
    assert clinician.status_code == 403


async def test_a_task_nobody_at_the_branch_takes_goes_to_the_network_coordinators(notify, clock):
    await alert(notify, clock, kind="task", branch="del-saket")

    [row] = (await notify.client.get("/notifications", params={"branch": "del-saket"})).json()

    assert row["person_id"] == "co_net" and row["fallback"] is True


async def test_a_dead_letter_with_no_ops_in_the_directory_goes_to_the_network_coordinators(
    notify, clock
):
    async with notify.runtime.unit_of_work() as session:
        await handlers.notify(
            session,
            domain.dead_letter_alert("sessions-match-events", 7),
            clock.now(),
            source_event_id="dl-7",
            correlation_id="dl-7",
        )

    [row] = (await notify.client.get("/notifications", params={"kind": "dead_letter"})).json()

    assert (row["person_id"], row["fallback"]) == ("co_net", True)


async def test_the_addressee_acknowledges_once_and_others_may_not(notify, clock):
    [notification_id] = await alert(notify, clock)
    url = f"/notifications/{notification_id}/acknowledge"

    stranger = await notify.client.post(url, headers=bearer("clinician", BRANCH, subject="dr_9"))
    other_branch = await notify.client.post(url, headers=bearer("coordinator", OTHER))
    mine = await notify.client.post(url, headers=bearer("clinician", BRANCH, subject="dr_1"))
    again = await notify.client.post(url, headers=bearer("clinician", BRANCH, subject="dr_1"))

    assert (stranger.status_code, other_branch.status_code) == (403, 403)
    assert mine.status_code == 200 and mine.json()["state"] == "acknowledged"
    assert mine.json()["ack_channel"] == "console"
    assert again.status_code == 410
    async with notify.runtime.sessionmaker() as session:
        staged = list(await session.scalars(select(OutboxRecord)))
    assert [row.subject for row in staged] == ["notify.alert.acknowledged.v1"]


async def test_a_person_lists_their_own_notifications(notify, clock):
    await alert(notify, clock)

    mine = await notify.client.get(
        "/people/dr_1/notifications", headers=bearer("clinician", BRANCH, subject="dr_1")
    )
    theirs = await notify.client.get(
        "/people/dr_1/notifications", headers=bearer("clinician", BRANCH, subject="dr_2")
    )

    assert [n["kind"] for n in mine.json()] == ["crisis"]
    assert theirs.status_code == 404


async def test_the_live_feed_shows_the_callers_open_notifications_and_marks_them_delivered(
    notify, clock
):
    await alert(notify, clock)
    mine = bearer("clinician", BRANCH, subject="dr_1")

    feed = await notify.client.get("/notifications/stream", params={"live": "false"}, headers=mine)
    [row] = (await notify.client.get("/people/dr_1/notifications", headers=mine)).json()

    assert feed.headers["content-type"].startswith("text/event-stream")
    assert "event: notification" in feed.text and row["notification_id"] in feed.text
    assert row["state"] == "delivered"


def link(notification_id: str, expires_at: datetime, person_id: str = "dr_1") -> str:
    return f"/ack/{SIGNER.sign(notification_id, person_id, expires_at)}"


async def test_the_ack_link_confirms_on_get_and_acknowledges_once_on_post(notify, clock):
    [notification_id] = await alert(notify, clock)
    url = link(notification_id, clock.now() + timedelta(hours=1))

    page = await notify.client.get(url, headers={"Authorization": ""})
    first = await notify.client.post(url + "?via=email", headers={"Authorization": ""})
    second = await notify.client.post(url, headers={"Authorization": ""})

    assert page.status_code == 200 and 'method="post"' in page.text
    assert first.status_code == 200 and "Acknowledged" in first.text
    assert second.status_code == 410
    [row] = (await notify.client.get("/notifications")).json()
    assert (row["state"], row["ack_channel"]) == ("acknowledged", "email")


async def test_an_expired_tampered_or_borrowed_link_acknowledges_nothing(notify, clock):
    [notification_id] = await alert(notify, clock)
    expired = link(notification_id, clock.now() - timedelta(seconds=1))
    good = link(notification_id, clock.now() + timedelta(hours=1))
    tampered = good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB")
    borrowed = link(notification_id, clock.now() + timedelta(hours=1), person_id="dr_2")
    unknown = link("nt_missing", clock.now() + timedelta(hours=1))

    answers = [
        (await notify.client.post(url, headers={"Authorization": ""})).status_code
        for url in (expired, tampered, borrowed, unknown)
    ]

    assert answers == [410, 400, 404, 404]
    [row] = (await notify.client.get("/notifications")).json()
    assert row["state"] == "queued"
