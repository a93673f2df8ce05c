"""Peer-led groups on real JetStream, with a clock the test moves: facilitators checked against
the mentors matching announces, weekly meetings planned, groups offered on match, capacity,
attendance, places ending at discharge, and a facilitator on leave replaced by a substitute
or the meeting cancelled with notice."""

import json
from datetime import UTC, datetime, timedelta
from functools import partial

import httpx
import pytest

from helpers import events
from helpers.apps import FakeClock
from helpers.backends import Databases
from helpers.events import Publisher
from helpers.groups import admitted_and_matched, announce, group_request, mentor
from helpers.sessions import sessions_running
from helpers.streams import messages_on
from helpers.waiting import wait_until
from shared.contracts.aftercare import (
    AftercareEnrolled,
    AftercareEnrolmentCancelled,
    AlumnusJoined,
    AlumnusState,
    EnrolmentState,
)

START = datetime(2026, 12, 1, 4, 0, tzinfo=UTC)  # a Tuesday, 09:30 in Kolkata
FIRST_MEETING = datetime(2026, 12, 2, 10, 30, tzinfo=UTC)  # Wednesday 16:00 in Kolkata


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
async def sessions(clean_nats, dbs: Databases, clock):
    async with sessions_running(clean_nats, dbs, clock, group_check_interval_s=3600) as service:
        yield service


async def group_events(nats_url: str, subject: str) -> list[dict]:
    return [
        json.loads(m.data)["data"] for m in await messages_on(nats_url, "SAATHI_SESSIONS", subject)
    ]


async def test_a_group_needs_certified_facilitators_and_plans_weekly_meetings(sessions, clean_nats):
    client = sessions.client
    await announce(
        sessions,
        clean_nats,
        mentor("mn_ok"),
        mentor("mn_away", status="on_leave"),
        mentor("mn_hindi", languages=["hi"]),
    )

    refused = await client.post("/groups", json=group_request(["mn_away", "mn_hindi", "mn_who"]))
    created = await client.post("/groups", json=group_request(["mn_ok"]))

    assert refused.status_code == 422
    reason = refused.json()["detail"]
    assert "mn_away is on leave" in reason and "mn_hindi does not speak bn" in reason
    assert "mn_who is not in the mentor pool" in reason
    assert created.status_code == 201, created.text
    group = created.json()
    meetings = (await client.get(f"/groups/{group['group_id']}/meetings")).json()
    assert [m["starts_at"] for m in meetings] == [
        (FIRST_MEETING + timedelta(weeks=n)).isoformat().replace("+00:00", "Z") for n in range(4)
    ]
    assert all(m["facilitator_ids"] == ["mn_ok"] and not m["substitute"] for m in meetings)
    [changed] = await wait_until(
        lambda: group_events(clean_nats, "sessions.group.changed"), what="group.changed"
    )
    assert changed["group_id"] == group["group_id"] and changed["start_time"] == "16:00"


async def test_matched_patients_are_offered_groups_that_fill_to_capacity(sessions, clean_nats):
    client = sessions.client
    await announce(sessions, clean_nats, mentor("mn_ok", languages=["bn", "hi"]))
    group = (await client.post("/groups", json=group_request(["mn_ok"], capacity=2))).json()
    hindi = (await client.post("/groups", json=group_request(["mn_ok"], language="hi"))).json()
    first, second, third = await admitted_and_matched(sessions, clean_nats, 3)
    [unconsenting] = await admitted_and_matched(sessions, clean_nats, 1, consenting=False)

    offers = await wait_until(
        lambda: client.get(f"/patients/{third.patient_ref}/group-offers"),
        lambda r: len(r.json()) == 1,
        what="a group offer",
    )
    assert offers.json()[0]["group"]["group_id"] == group["group_id"]  # not the Hindi one
    assert hindi["group_id"] != group["group_id"]
    enrol = partial(client.post, f"/groups/{group['group_id']}/enrolments")
    assert (await enrol(json={"patient_ref": first.patient_ref})).status_code == 201
    assert (await enrol(json={"patient_ref": second.patient_ref})).status_code == 201
    full = await enrol(json={"patient_ref": third.patient_ref})
    twice = await enrol(json={"patient_ref": first.patient_ref})
    no_consent = await enrol(json={"patient_ref": unconsenting.patient_ref})

    assert full.status_code == 409 and "full (2 of 2" in full.json()["detail"]
    assert twice.status_code == 409
    assert no_consent.status_code == 409 and "consent" in no_consent.json()["detail"]
    assert (await client.get(f"/patients/{unconsenting.patient_ref}/group-offers")).json() == []
    assert (await client.get(f"/patients/{first.patient_ref}/group-offers")).json() == []
    left = await client.post(
        f"/groups/{group['group_id']}/enrolments/{second.patient_ref}/leave",
        json={"reason": "prefers the recreation group"},
    )
    assert left.status_code == 200 and left.json()["status"] == "left"
    assert (await enrol(json={"patient_ref": third.patient_ref})).status_code == 201
    assert (await client.get(f"/groups/{group['group_id']}")).json()["enrolled"] == 2


async def test_a_discharge_ends_the_inpatient_place(sessions, clean_nats):
    client = sessions.client
    await announce(sessions, clean_nats, mentor("mn_ok"))
    group = (await client.post("/groups", json=group_request(["mn_ok"]))).json()
    [stay] = await admitted_and_matched(sessions, clean_nats, 1)
    await client.post(
        f"/groups/{group['group_id']}/enrolments", json={"patient_ref": stay.patient_ref}
    )

    async with Publisher(clean_nats) as publisher:
        await publisher.event(events.discharged(stay))

    roster = await wait_until(
        lambda: client.get(
            f"/groups/{group['group_id']}/enrolments", params={"include_left": True}
        ),
        lambda r: r.json()[0]["status"] == "left",
        what="the place to end",
    )
    assert roster.json()[0]["left_reason"] == "no longer admitted at kol-salt-lake"
    assert (await client.get(f"/groups/{group['group_id']}")).json()["enrolled"] == 0
    changes = await wait_until(
        lambda: group_events(clean_nats, "sessions.group.enrolment_changed"),
        lambda found: len(found) == 2,
        what="enrolment events",
    )
    assert [c["status"] for c in changes] == ["enrolled", "left"]


async def test_attendance_is_recorded_for_every_enrolled_patient(sessions, clean_nats, clock):
    client = sessions.client
    await announce(sessions, clean_nats, mentor("mn_ok"))
    group = (await client.post("/groups", json=group_request(["mn_ok"]))).json()
    came, stayed_away = await admitted_and_matched(sessions, clean_nats, 2)
    [stranger] = await admitted_and_matched(sessions, clean_nats, 1)
    for stay in (came, stayed_away):
        await client.post(
            f"/groups/{group['group_id']}/enrolments", json={"patient_ref": stay.patient_ref}
        )
    meeting = (await client.get(f"/groups/{group['group_id']}/meetings")).json()[0]
    attendance = f"/group-meetings/{meeting['meeting_id']}/attendance"

    too_early = await client.post(attendance, json={"attended": [came.patient_ref]})
    clock.current = FIRST_MEETING + timedelta(minutes=70)
    not_enrolled = await client.post(attendance, json={"attended": [stranger.patient_ref]})
    held = await client.post(attendance, json={"attended": [came.patient_ref]})
    again = await client.post(attendance, json={"attended": [came.patient_ref]})

    assert too_early.status_code == 409
    assert not_enrolled.status_code == 422 and stranger.patient_ref in not_enrolled.text
    assert held.status_code == 200 and held.json()["status"] == "held"
    assert {(a["patient_ref"], a["attended"]) for a in held.json()["attendance"]} == {
        (came.patient_ref, True),
        (stayed_away.patient_ref, False),
    }
    assert again.status_code == 409
    [event] = await wait_until(
        lambda: group_events(clean_nats, "sessions.group_meeting.held"), what="meeting held"
    )
    assert event["attended"] == [came.patient_ref] and event["absent"] == [stayed_away.patient_ref]


async def test_a_facilitator_on_leave_gets_a_substitute_or_the_meeting_is_cancelled(
    sessions, clean_nats
):
    client = sessions.client
    await announce(sessions, clean_nats, mentor("mn_own"), mentor("mn_sub"))
    group = (await client.post("/groups", json=group_request(["mn_own"]))).json()
    meetings_url = f"/groups/{group['group_id']}/meetings"

    async def staffed_by(who: list[str]) -> httpx.Response:
        return await wait_until(
            lambda: client.get(meetings_url),
            lambda r: all(m["facilitator_ids"] == who for m in r.json()),
            what=f"meetings led by {who}",
        )

    await announce(sessions, clean_nats, mentor("mn_own", version=2, status="on_leave"))
    covered = (await staffed_by(["mn_sub"])).json()
    assert len(covered) == 4 and all(m["substitute"] for m in covered)
    await announce(sessions, clean_nats, mentor("mn_own", version=3))
    back = (await staffed_by(["mn_own"])).json()
    assert not any(m["substitute"] for m in back)

    await announce(
        sessions,
        clean_nats,
        mentor("mn_sub", version=2, status="retired"),
        mentor("mn_own", version=4, status="on_leave"),
    )
    cancelled = await wait_until(
        lambda: client.get(meetings_url, params={"include_past": True}),
        lambda r: all(m["status"] == "cancelled" for m in r.json()),
        what="meetings cancelled",
    )
    first = cancelled.json()[0]
    assert "mn_own is on leave" in first["cancel_reason"]
    assert first["notice_hours"] == pytest.approx(30.5)
    notices = await wait_until(
        lambda: group_events(clean_nats, "sessions.group_meeting.cancelled"),
        lambda found: len(found) == 4,
        what="cancellation notices",
    )
    assert {n["meeting_id"] for n in notices} == {m["meeting_id"] for m in cancelled.json()}
    staffed = await group_events(clean_nats, "sessions.group_meeting.staffed")
    assert len(staffed) == 8  # four to the substitute, four back to their own facilitator


async def test_meetings_after_a_certification_lapses_get_a_substitute_and_more_are_planned(
    sessions, clean_nats, clock
):
    client = sessions.client
    await announce(
        sessions,
        clean_nats,
        mentor("mn_expiring", certified_until=FIRST_MEETING.date() + timedelta(days=10)),
        mentor("mn_sub"),
    )
    group = (await client.post("/groups", json=group_request(["mn_expiring"]))).json()

    meetings = (await client.get(f"/groups/{group['group_id']}/meetings")).json()

    # The first two meetings fall within the certification, the last two after it lapses.
    assert [m["facilitator_ids"] for m in meetings] == [
        ["mn_expiring"],
        ["mn_expiring"],
        ["mn_sub"],
        ["mn_sub"],
    ]

    clock.current = START + timedelta(weeks=2)
    [job] = [j for j in sessions.runtime.listeners if getattr(j, "name", "") == "group-meetings"]
    assert await job.check() == 4  # two more weeks planned, both led by the substitute
    coming = (await client.get(f"/groups/{group['group_id']}/meetings")).json()
    assert len(coming) == 4 and all(m["facilitator_ids"] == ["mn_sub"] for m in coming)


async def test_aftercare_fills_outpatient_groups_and_sessions_keeps_their_roster(
    sessions, clean_nats
):
    client = sessions.client
    await announce(sessions, clean_nats, mentor("mn_ok"))
    group = (
        await client.post("/groups", json=group_request(["mn_ok"], setting="outpatient"))
    ).json()
    roster_url = f"/groups/{group['group_id']}/enrolments"

    by_hand = await client.post(roster_url, json={"patient_ref": "pt_out"})
    enrolled = EnrolmentState(
        version=1,
        enrolment_id="en_out",
        episode_id="ep_out",
        patient_ref="pt_out",
        branch=group["branch"],
        group_id=group["group_id"],
        status="enrolled",
        updated_at=START,
    )
    cancelled = enrolled.model_copy(
        update={"version": 2, "status": "cancelled", "group_id": None, "reason": "readmitted"}
    )
    async with Publisher(clean_nats) as publisher:
        await publisher.event(AftercareEnrolled.new(enrolled, branch=enrolled.branch))
        await wait_until(
            lambda: client.get(roster_url), lambda r: len(r.json()) == 1, what="on the roster"
        )
        await publisher.event(AftercareEnrolmentCancelled.new(cancelled, branch=enrolled.branch))

    assert by_hand.status_code == 409 and "aftercare" in by_hand.json()["detail"]
    left = await wait_until(
        lambda: client.get(roster_url, params={"include_left": True}),
        lambda r: r.json()[0]["status"] == "left",
        what="off the roster",
    )
    assert left.json()[0]["left_reason"] == "readmitted"


async def test_alumni_groups_are_for_those_who_completed_aftercare(sessions, clean_nats):
    client = sessions.client
    await announce(sessions, clean_nats, mentor("mn_ok"))
    group = (
        await client.post(
            "/groups", json=group_request(["mn_ok"], setting="alumni", focus="recreation")
        )
    ).json()
    [stay] = await admitted_and_matched(sessions, clean_nats, 1)
    enrol = partial(
        client.post,
        f"/groups/{group['group_id']}/enrolments",
        json={"patient_ref": stay.patient_ref},
    )

    before = await enrol()
    joined = AlumnusState(
        version=1,
        patient_ref=stay.patient_ref,
        branch=stay.branch,
        completed_episode_id=stay.episode_id,
        joined_at=START,
    )
    async with Publisher(clean_nats) as publisher:
        await publisher.event(AlumnusJoined.new(joined, branch=stay.branch))
    after = await wait_until(enrol, lambda r: r.status_code == 201, what="an alumnus enrolled")

    assert before.status_code == 409 and "completed aftercare" in before.text
    assert after.json()["status"] == "enrolled"
