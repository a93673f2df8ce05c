"""The outcomes report and the aftercare funnel checked on a known event history published to
real JetStream: admissions and matches, discharges (one that rules enrolment out), attendance,
follow-ups completed and missed, a readmission at another branch, alumni and a certified
mentor."""

import csv
import io
from datetime import UTC, datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

import pytest

from aftercare.app import create_app
from aftercare.config import AftercareSettings
from helpers import events
from helpers.apps import FAST, FakeClock, running
from helpers.backends import Databases
from helpers.events import Publisher
from helpers.groups import announce_groups, meeting_held, outpatient_group
from helpers.waiting import wait_until
from shared.contracts.matching import MatchMade, MatchState

NOW = datetime.now(UTC)
ADMITTED = NOW - timedelta(days=10)
SALT_LAKE, BEHALA = "kol-salt-lake", "kol-behala"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
async def aftercare(clean_nats, dbs: Databases, clock):
    settings = AftercareSettings(
        database_url=await dbs.url("aftercare"),
        nats_url=clean_nats,
        completion_meetings=1,
        mentor_min_days_since_discharge=0,
        **FAST,
    )
    async with running(partial(create_app, clock=clock), settings) as service:
        yield service


def matched(stay, hours: float) -> MatchMade:
    state = MatchState(
        version=1,
        match_id=f"mt_{stay.episode_id[3:]}",
        episode_id=stay.episode_id,
        patient_ref=stay.patient_ref,
        mentor_id="mn_1",
        branch=stay.branch,
        status="active",
        matched_at=stay.admitted_at + timedelta(hours=hours),
    )
    return MatchMade.new(state, branch=stay.branch)


async def rows(client, url: str, **params) -> list[dict]:
    return list((await client.get(url, params=params)).json())


async def test_outcomes_are_computed_from_a_known_event_history(aftercare, clean_nats, clock):
    client = aftercare.client
    group = outpatient_group(capacity=10)
    await announce_groups(clean_nats, group)
    p1, p2, p3, p4 = (events.episode(branch=SALT_LAKE, admitted_at=ADMITTED) for _ in range(4))
    async with Publisher(clean_nats) as publisher:
        for stay, hours in ((p1, 2), (p2, 4), (p3, 6)):  # p4 never matched
            await publisher.event(matched(stay, hours))
        for stay in (p1, p2, p3, p4):
            await publisher.event(events.admitted(stay))
            await publisher.event(events.consent(stay))
        for stay in (p1, p2, p3):
            await publisher.event(events.discharged(stay))
        await publisher.event(events.discharged(p4, disposition="20"))  # died: not enrolled
        await wait_until(
            lambda: rows(client, "/enrolments", status="enrolled"),
            lambda found: len(found) == 3,
            what="three enrolments",
        )
        await publisher.event(
            meeting_held(group.group_id, [p1.patient_ref, p2.patient_ref], starts_at=NOW)
        )
        await wait_until(lambda: rows(client, "/alumni"), lambda a: len(a) == 2, what="alumni")

    # 7 days: p1 is reached the day after discharge, p2 and p3 are not.
    clock.current = NOW + timedelta(days=1, hours=1)
    [week] = [
        f
        for f in await rows(client, "/follow-ups", episode_id=p1.episode_id)
        if f["kind"] == "day_7"
    ]
    reached = await client.post(
        f"/follow-ups/{week['follow_up_id']}/contacts",
        json={"reached": True, "channel": "phone", "by": "mn_1"},
    )
    assert reached.json()["status"] == "completed"
    clock.current = NOW + timedelta(days=8)
    [sweep] = [
        j for j in aftercare.runtime.listeners if getattr(j, "name", "") == "follow-up-windows"
    ]
    assert await sweep.check() == 2
    # p3 comes back 12 days after discharge at another branch: its 30-day follow-up lapses.
    again = events.episode(
        patient_ref=p3.patient_ref, branch=BEHALA, admitted_at=NOW + timedelta(days=12)
    )
    async with Publisher(clean_nats) as publisher:
        await publisher.event(events.admitted(again))
    await wait_until(lambda: rows(client, "/readmissions"), what="the readmission linked")
    clock.current = NOW + timedelta(days=31)
    assert await sweep.check() == 2  # p1's and p2's 30-day windows
    # p1 trains and is certified as a mentor.
    opened = await client.post(
        f"/alumni/{p1.patient_ref}/mentor-candidacy",
        json={"source": "nomination", "nominated_by": "coord-1", "languages": ["bn"]},
    )
    candidate = opened.json()["candidate_id"]
    for course in ("active_listening", "boundaries", "crisis_response", "ethics"):
        await client.post(
            f"/candidates/{candidate}/courses",
            json={
                "course": course,
                "completed_on": clock.current.date().isoformat(),
                "expires_on": (clock.current.date() + timedelta(days=365)).isoformat(),
            },
        )
    assert (await client.post(f"/candidates/{candidate}/certify")).json()["status"] == "certified"

    period = {
        "from": (NOW - timedelta(days=30)).date().isoformat(),
        "to": (NOW + timedelta(days=40)).date().isoformat(),
    }
    report = (await client.get("/outcomes", params=period)).json()
    by_branch = {row["branch"]: row for row in report}
    salt_lake = by_branch[SALT_LAKE]
    assert {k: v for k, v in salt_lake.items() if k not in ("period_from", "period_to")} == {
        "branch": SALT_LAKE,
        "discharges": 4,
        "enrolled": 3,
        "enrolment_rate": 0.75,
        "first_attended": 2,
        "first_attendance_rate": 0.667,
        "follow_up_7_day_rate": 0.333,  # p1 of p1, p2, p3
        "follow_up_30_day_rate": 0.0,  # p1 and p2 missed; p3's lapsed with the readmission
        "readmissions_30_day": 1,
        "readmission_rate_30_day": 0.25,
        "median_hours_admission_to_match": 4.0,
        "alumni_joined": 2,
        "alumni_to_mentor_conversions": 1,
    }
    behala = by_branch[BEHALA]
    assert behala["discharges"] == 0 and behala["enrolment_rate"] is None
    assert behala["median_hours_admission_to_match"] is None

    as_csv = await client.get("/outcomes", params={**period, "branch": SALT_LAKE, "format": "csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    [row] = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert row["discharges"] == "4" and row["enrolment_rate"] == "0.75"
    backwards = await client.get("/outcomes", params={"from": period["to"], "to": period["from"]})
    assert backwards.status_code == 422

    # The same history as a funnel per month of discharge (in the branches' time zone).
    kolkata = ZoneInfo("Asia/Kolkata")
    months = [
        (NOW + timedelta(days=days)).astimezone(kolkata).strftime("%Y-%m") for days in (-31, 31)
    ]
    window = {"from": months[0], "to": months[1]}
    funnel = (await client.get("/outcomes/funnel", params=window)).json()
    assert {row["branch"] for row in funnel} == {SALT_LAKE}  # Behala discharged nobody
    assert [row["month"] for row in funnel] == sorted({row["month"] for row in funnel})
    assert len(funnel) == 3  # every month, those without discharges too
    totals = {k: sum(row[k] for row in funnel) for k in funnel[0] if k not in ("branch", "month")}
    assert totals == {
        "discharged": 4,
        "enrolled": 3,
        "waitlisted": 0,  # p4's disposition ruled enrolment out
        "first_attended": 2,
        "follow_up_7_day_completed": 1,
        "follow_up_7_day_missed": 2,
        "follow_up_7_day_due": 0,
        "follow_up_30_day_completed": 0,
        "follow_up_30_day_missed": 2,
        "follow_up_30_day_due": 0,
        "readmitted_30_day": 1,
    }
    as_csv = await client.get("/outcomes/funnel", params={**window, "format": "csv"})
    assert as_csv.headers["content-disposition"].startswith("attachment")
    csv_rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert sum(int(row["discharged"]) for row in csv_rows) == 4
    for bad in ({"from": months[1], "to": months[0]}, {"from": "2026-13", "to": "2026-12"}):
        assert (await client.get("/outcomes/funnel", params=bad)).status_code == 422
