"""Notify on a real NATS server: crisis events from sessions become notifications (with a
delivery row per channel) for the person the duty chain names, escalation reaches the next
person, sessions' acknowledgement closes them, and a dead letter reaches ops."""

from datetime import UTC, datetime

import nats
import pytest

from helpers.apps import FAST, running
from helpers.events import Publisher
from helpers.notify import BRANCH, crisis, deliveries_of, notifications, notify_app, person
from helpers.waiting import wait_until
from notify.alerts.handlers import mentor_of
from notify.config import NotifySettings
from shared.contracts.aftercare import FollowUpMissed, FollowUpState
from shared.contracts.matching import MatchMade, MatchState, MatchWaitlisted, WaitlistState
from shared.contracts.sessions import CrisisAcknowledged, CrisisEscalated, CrisisFlagged
from shared.deadletters import CONSUMER, ORIGINAL_SUBJECT, REASON


@pytest.fixture
async def notify(clean_nats, dbs):
    settings = NotifySettings(
        database_url=await dbs.url("notify"),
        nats_url=clean_nats,
        delivery_interval_s=3600,
        **FAST,
    )
    async with running(notify_app(), settings) as service:
        people = {
            "dr_duty": person(["clinician"], email="duty@example.org", phone="+919800000001"),
            "dr_senior": person(["clinician", "supervisor"], email="senior@example.org"),
            "co_1": person(["coordinator"]),
            "ops_1": person(["ops"], []),
        }
        for person_id, body in people.items():
            assert (await service.client.put(f"/people/{person_id}", json=body)).status_code == 200
        yield service


async def channels_of(service, notification_id):
    return sorted((row.channel, row.state) for row in await deliveries_of(service, notification_id))


async def test_a_crisis_alerts_the_person_on_duty_then_the_next_and_closes_when_taken_on(
    notify, clean_nats
):
    flagged = crisis("dr_duty")
    escalated = crisis("dr_senior", level=1, crisis_id=flagged.crisis_id)
    taken = flagged.model_copy(update={"status": "acknowledged", "version": 3})
    async with Publisher(clean_nats) as publisher:
        await publisher.event(CrisisFlagged.new(flagged, branch=BRANCH))
        [first] = await wait_until(
            lambda: notifications(notify, kind="crisis"), what="crisis notification"
        )
        await publisher.event(CrisisEscalated.new(escalated, branch=BRANCH))
        both = await wait_until(
            lambda: notifications(notify, kind="crisis"), lambda rows: len(rows) == 2
        )
        await publisher.event(CrisisAcknowledged.new(taken, branch=BRANCH))
        closed = await wait_until(
            lambda: notifications(notify, kind="crisis", state="closed"),
            lambda rows: len(rows) == 2,
            what="crisis notifications closed",
        )

    assert (first["person_id"], first["subject_id"], first["severity"]) == (
        "dr_duty",
        flagged.crisis_id,
        "high",
    )
    assert "high" in first["title"] and "pt_" not in first["title"]
    assert first["facts"]["ref"] == flagged.crisis_id and first["facts"]["zone"] == "Asia/Kolkata"
    assert {row["person_id"] for row in both} == {"dr_duty", "dr_senior"}
    [senior] = [row for row in both if row["person_id"] == "dr_senior"]
    assert "escalated (level 2)" in senior["title"] and senior["facts"]["step"] == "2"
    assert all(row["closed_at"] for row in closed)
    # a crisis goes on every channel the person has, the console always; closing cancels them
    assert await channels_of(notify, first["notification_id"]) == [
        ("console", "cancelled"),
        ("email", "cancelled"),
        ("sms", "cancelled"),
    ]


async def test_the_same_event_twice_notifies_once(notify, clean_nats):
    event = CrisisFlagged.new(crisis("dr_duty"), branch=BRANCH)
    async with Publisher(clean_nats) as publisher:
        await publisher.event(event)
        await publisher.event(event, msg_id="redelivered")
        await publisher.event(CrisisFlagged.new(crisis("dr_senior"), branch=BRANCH))
        rows = await wait_until(
            lambda: notifications(notify, kind="crisis"), lambda rows: len(rows) == 2
        )

    assert sorted(row["person_id"] for row in rows) == ["dr_duty", "dr_senior"]


async def test_a_waitlisted_patient_becomes_a_task_for_the_branchs_coordinators(notify, clean_nats):
    waiting = WaitlistState(
        version=1,
        episode_id="ep_waiting",
        patient_ref="pt_waiting",
        branch=BRANCH,
        language="bn",
        status="waiting",
        since=datetime.now(UTC),
    )
    async with Publisher(clean_nats) as publisher:
        await publisher.event(MatchWaitlisted.new(waiting, branch=BRANCH))
        [task] = await wait_until(
            lambda: notifications(notify, kind="coordinator_task"), what="coordinator task"
        )

    assert (task["person_id"], task["fallback"]) == ("co_1", False)
    assert task["facts"] == {"branch": BRANCH, "task": "waitlist", "ref": "ep_waiting"}
    assert "pt_" not in task["title"]


async def test_a_dead_letter_reaches_ops(notify, clean_nats):
    connection = await nats.connect(clean_nats)
    try:
        await connection.jetstream().publish(
            "deadletter.sessions-match-events",
            b'{"not": "a contract"}',
            headers={
                REASON: "invalid matching.match.made.v1: data: field required",
                ORIGINAL_SUBJECT: "matching.match.made.v1",
                CONSUMER: "sessions-match-events",
                "Nats-Msg-Id": "dl-test-1",
            },
        )
    finally:
        await connection.close()

    [row] = await wait_until(
        lambda: notifications(notify, kind="dead_letter"), what="dead-letter notification"
    )

    assert row["person_id"] == "ops_1"
    assert "sessions-match-events" in row["title"] and row["branch"] is None


async def test_a_missed_follow_up_goes_to_the_stays_mentor(notify, clean_nats):
    now = datetime.now(UTC)
    match = MatchState(
        version=1,
        match_id="mt_followed",
        episode_id="ep_followed",
        patient_ref="pt_followed",
        mentor_id="mn_rupa",
        branch=BRANCH,
        status="active",
        matched_at=now,
    )
    missed = FollowUpState(
        version=2,
        follow_up_id="fu_missed",
        episode_id="ep_followed",
        patient_ref="pt_followed",
        branch=BRANCH,
        kind="day_7",
        due_by=now,
        status="missed",
    )
    async with Publisher(clean_nats) as publisher:
        await publisher.event(MatchMade.new(match, branch=BRANCH))
        await wait_until(lambda: mentor_known(notify), what="the match recorded")
        await publisher.event(FollowUpMissed.new(missed, branch=BRANCH))
        [task] = await wait_until(
            lambda: notifications(notify, kind="outreach"), what="outreach notification"
        )

    assert (task["person_id"], task["subject_id"]) == ("mn_rupa", "fu_missed")
    assert "outreach" in task["title"] and "pt_" not in task["title"]
    assert task["facts"] == {
        "branch": BRANCH,
        "task": "follow_up_due",
        "ref": "fu_missed",
        "days": "7",
    }


async def mentor_known(service) -> bool:
    async with service.runtime.sessionmaker() as session:
        return await mentor_of(session, "ep_followed") == "mn_rupa"
