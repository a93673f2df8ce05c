"""Duty rosters with shifts on real JetStream, with a clock the test moves: the person alerted at
each step is on the chain of the shift on duty at that moment (the night clinician after 20:00),
the network on-call takes the hours a branch leaves open, and a roster or a start that would
leave a branch with nobody on duty at some hour is refused, naming the branch and the hours."""

import json
from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

import pytest

from helpers.apps import FAST, FakeClock, running
from helpers.backends import Databases
from helpers.sessions import known_matches, match
from helpers.streams import stream_messages
from helpers.waiting import wait_until
from sessions.app import create_app
from sessions.config import SessionsSettings
from shared.errors import StartupError

BRANCH = "kol-behala"
IST = ZoneInfo("Asia/Kolkata")
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]
DAY = {"person_id": "dr-day", "role": "clinician"}
DAY_LEAD = {"person_id": "lead-day", "role": "branch_lead"}
NIGHT = {"person_id": "dr-night", "role": "clinician"}
NIGHT_LEAD = {"person_id": "lead-night", "role": "branch_lead"}
WEEKEND = {"person_id": "dr-weekend", "role": "clinician"}
SHIFTS = {
    "time_zone": "Asia/Kolkata",
    "shifts": [
        {
            "name": "day",
            "days": WEEKDAYS,
            "starts": "08:00",
            "ends": "20:00",
            "chain": [DAY, DAY_LEAD],
        },
        {"name": "night", "starts": "20:00", "ends": "08:00", "chain": [NIGHT, NIGHT_LEAD]},
        {
            "name": "weekend",
            "days": ["sat", "sun"],
            "starts": "08:00",
            "ends": "20:00",
            "chain": [WEEKEND],
        },
    ],
}
ON_CALL = [{"person_id": "network-on-call", "role": "clinician"}]


def monday(hhmm: str) -> FakeClock:
    """A clock at this time on Monday 7 December 2026 in Kolkata."""
    hours, minutes = map(int, hhmm.split(":"))
    return FakeClock(datetime(2026, 12, 7, hours, minutes, tzinfo=IST))


async def config(dbs: Databases, nats_url: str, **update: object) -> SessionsSettings:
    # The job never runs by itself here (an hour apart): the test runs it after moving time.
    settings = {**FAST, "crisis_ack_deadline_s": 900, "crisis_check_interval_s": 3600, **update}
    return SessionsSettings(database_url=await dbs.url("sessions"), nats_url=nats_url, **settings)


def job(service):
    [found] = [x for x in service.runtime.listeners if x.name == "crisis-escalations"]
    return found


async def alerts_sent(nats_url: str) -> list[str]:
    return [
        json.loads(m.data)["data"]["notified_person_id"]
        for m in await stream_messages(nats_url, "SAATHI_SESSIONS")
        if m.subject in ("sessions.crisis.flagged.v1", "sessions.crisis.escalated.v1")
    ]


async def test_the_step_after_a_shift_change_alerts_the_night_clinician(clean_nats, dbs):
    clock = monday("19:50")
    settings = await config(dbs, clean_nats)
    async with running(partial(create_app, clock=clock), settings) as service:
        put = await service.client.put(f"/duty-rosters/{BRANCH}", json=SHIFTS)
        assert put.status_code == 200, put.text
        assert put.json()["on_duty_now"] == "day"
        await known_matches(service, clean_nats, match("mt_shift", "pt_shift", branch=BRANCH))
        flag = {"match_id": "mt_shift", "severity": "high"}
        crisis = (await service.client.post("/crises", json=flag)).json()
        assert crisis["alerts"][0]["person_id"] == "dr-day"

        clock.advance(minutes=15, seconds=1)  # 20:05: the night shift is on
        assert await job(service).check() == 1
        clock.advance(minutes=15, seconds=1)
        assert await job(service).check() == 1
        url = f"/crises/{crisis['crisis_id']}"
        row = (await service.client.get(url)).json()
        assert [a["person_id"] for a in row["alerts"]] == ["dr-day", "dr-night", "lead-night"]
        # The day clinician alerted before the change may still take it on.
        answered = await service.client.post(f"{url}/acknowledge", json={"person_id": "dr-day"})
        assert answered.status_code == 200, answered.text
    sent = await wait_until(
        lambda: alerts_sent(clean_nats), lambda found: len(found) == 3, what="three alerts"
    )
    assert sent == ["dr-day", "dr-night", "lead-night"]


async def test_hours_a_branch_leaves_open_go_to_the_network_on_call(clean_nats, dbs):
    clock = monday("22:00")
    settings = await config(dbs, clean_nats)  # FAST's fallback: a network on-call at all hours
    days_only = {"shifts": [{"name": "day", "starts": "08:00", "ends": "20:00", "chain": [DAY]}]}
    async with running(partial(create_app, clock=clock), settings) as service:
        put = await service.client.put(f"/duty-rosters/{BRANCH}", json=days_only)
        assert put.status_code == 200, put.text
        assert put.json()["on_duty_now"] is None and put.json()["time_zone"] == "Asia/Kolkata"
        await known_matches(service, clean_nats, match("mt_night", "pt_night", branch=BRANCH))
        flag = {"match_id": "mt_night", "severity": "high"}
        crisis = (await service.client.post("/crises", json=flag)).json()
        network = (await service.client.get("/duty-rosters/network")).json()
    assert crisis["alerts"][0]["person_id"] == "network-on-call"
    assert network["shifts"][0]["chain"] == ON_CALL and network["on_duty_now"] == "all hours"


async def test_a_roster_that_leaves_hours_uncovered_is_refused_naming_them(clean_nats, dbs):
    clock = monday("12:00")
    first = await config(dbs, clean_nats)
    async with running(partial(create_app, clock=clock), first) as service:
        await service.client.put(f"/duty-rosters/{BRANCH}", json=SHIFTS)
    settings = first.model_copy(update={"fallback_duty_chain": [], "branches": [BRANCH]})
    no_weekend = {**SHIFTS, "shifts": SHIFTS["shifts"][:2]}
    nights = {"shifts": [{"name": "nights", "starts": "20:00", "ends": "08:00", "chain": ON_CALL}]}
    weekend_days = {
        "shifts": [
            {
                "name": "w",
                "days": ["sat", "sun"],
                "starts": "08:00",
                "ends": "20:00",
                "chain": ON_CALL,
            }
        ]
    }
    async with running(partial(create_app, clock=clock), settings) as service:
        refused = await service.client.put(f"/duty-rosters/{BRANCH}", json=no_weekend)
        kept = (await service.client.get(f"/duty-rosters/{BRANCH}")).json()
        network_gap = await service.client.put("/duty-rosters/network", json=nights)
        covered = await service.client.put("/duty-rosters/network", json=weekend_days)
        now_accepted = await service.client.put(f"/duty-rosters/{BRANCH}", json=no_weekend)
        uncovering = await service.client.put("/duty-rosters/network", json=nights)
    assert refused.status_code == 422
    assert (
        "kol-behala has nobody on duty Sat 08:00-20:00, Sun 08:00-20:00 (Asia/Kolkata)"
        in refused.json()["detail"]
    )
    assert len(kept["shifts"]) == 3  # a refusal changes nothing
    # A network on-call with nights only is fine while the branch covers every hour itself.
    assert network_gap.status_code == 200, network_gap.text
    assert covered.status_code == 200 and now_accepted.status_code == 200, now_accepted.text
    assert uncovering.status_code == 422
    assert "kol-behala has nobody on duty Sat 08:00-20:00" in uncovering.json()["detail"]


async def test_overlapping_shifts_are_refused_naming_them(clean_nats, dbs):
    overlapping = {
        "shifts": [
            {"name": "day", "starts": "08:00", "ends": "21:00", "chain": [DAY]},
            {"name": "night", "starts": "20:00", "ends": "08:00", "chain": [NIGHT]},
        ]
    }
    async with running(
        partial(create_app, clock=monday("12:00")), await config(dbs, clean_nats)
    ) as service:
        refused = await service.client.put(f"/duty-rosters/{BRANCH}", json=overlapping)
        neither = await service.client.put(
            f"/duty-rosters/{BRANCH}", json={"time_zone": "Asia/Kolkata"}
        )
        bad_zone = await service.client.put(
            f"/duty-rosters/{BRANCH}", json={"time_zone": "Mars/Olympus", "chain": [DAY]}
        )
        twice = {"shifts": [{**shift, "name": "same"} for shift in SHIFTS["shifts"]]}
        same_names = await service.client.put(f"/duty-rosters/{BRANCH}", json=twice)
        after = await service.client.get(f"/duty-rosters/{BRANCH}")
    assert refused.status_code == 422
    assert "day and night overlap Mon 20:00-21:00" in refused.json()["detail"]
    assert neither.status_code == 422 and bad_zone.status_code == 422
    assert same_names.status_code == 422 and after.status_code == 404  # nothing was set


async def test_a_lone_chain_is_a_roster_at_all_hours(clean_nats, dbs):
    async with running(
        partial(create_app, clock=monday("03:00")), await config(dbs, clean_nats)
    ) as service:
        put = await service.client.put(f"/duty-rosters/{BRANCH}", json={"chain": [DAY, DAY_LEAD]})
    assert put.status_code == 200
    [shift] = put.json()["shifts"]
    assert shift == {
        "name": "all hours",
        "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        "starts": "00:00",
        "ends": "00:00",
        "chain": [DAY, DAY_LEAD],
    }


async def test_a_start_leaving_a_branch_without_anyone_at_some_hour_is_refused_naming_it(
    nats_url, dbs
):
    # The network on-call is off on Sunday 02:00-08:00 and kol-behala has no roster.
    on_call = {
        "time_zone": "Asia/Kolkata",
        "shifts": [
            {
                "name": "week",
                "days": ["mon", "tue", "wed", "thu", "fri", "sat"],
                "starts": "00:00",
                "ends": "00:00",
                "chain": ON_CALL,
            },
            {
                "name": "sunday early",
                "days": ["sun"],
                "starts": "00:00",
                "ends": "02:00",
                "chain": ON_CALL,
            },
            {
                "name": "sunday",
                "days": ["sun"],
                "starts": "08:00",
                "ends": "00:00",
                "chain": ON_CALL,
            },
        ],
    }
    settings = await config(dbs, nats_url, fallback_duty_chain=on_call, branches=[BRANCH])
    app = create_app(settings, clock=monday("12:00"))
    with pytest.raises(StartupError) as refused:
        await app.state.runtime.start()
    await app.state.runtime.stop()
    assert "kol-behala has nobody on duty Sun 02:00-08:00 (Asia/Kolkata)" in str(refused.value)
    assert "PUT /duty-rosters/network" in str(refused.value)


def gauge(text: str, branch: str) -> float | None:
    prefix = f'saathi_duty_gap_hours{{branch="{branch}"}} '
    found = [line for line in text.splitlines() if line.startswith(prefix)]
    return float(found[0].removeprefix(prefix)) if found else None


async def test_a_branch_first_seen_through_a_match_with_hours_uncovered_is_not_ready(
    clean_nats, dbs
):
    clock = monday("12:00")
    first = await config(dbs, clean_nats)
    async with running(partial(create_app, clock=clock), first) as service:
        await service.client.put(f"/duty-rosters/{BRANCH}", json=SHIFTS)
    nights = {"shifts": [{"name": "nights", "starts": "20:00", "ends": "08:00", "chain": ON_CALL}]}
    settings = first.model_copy(update={"fallback_duty_chain": nights, "branches": [BRANCH]})
    async with running(partial(create_app, clock=clock), settings) as service:
        assert (await service.client.get("/readyz")).status_code == 200
        await known_matches(service, clean_nats, match("mt_new", "pt_new", branch="kol-new-town"))
        flag = {"match_id": "mt_new", "severity": "high"}
        assert (await service.client.post("/crises", json=flag)).status_code == 201
        ready = await service.client.get("/readyz")
        metrics = (await service.client.get("/metrics")).text
        put = await service.client.put("/duty-rosters/kol-new-town", json={"chain": [DAY]})
        after = await service.client.get("/readyz")
        metrics_after = (await service.client.get("/metrics")).text
    assert ready.status_code == 503
    detail = ready.json()["checks"]["listener:crisis-reach"]["detail"]
    assert "alerting nobody at kol-new-town (1)" in detail  # flagged at noon: nobody on duty
    assert "kol-new-town has nobody on duty Mon 08:00-20:00" in detail
    assert gauge(metrics, "kol-new-town") == 12 * 7
    assert put.status_code == 200 and after.status_code == 200
    assert gauge(metrics_after, "kol-new-town") == 0


@pytest.mark.parametrize(
    ("on_call", "refusal"),
    [
        (
            {
                "shifts": [
                    {"name": "a", "starts": "08:00", "ends": "21:00", "chain": ON_CALL},
                    {"name": "b", "starts": "20:00", "ends": "08:00", "chain": ON_CALL},
                ]
            },
            "SESSIONS_FALLBACK_DUTY_CHAIN: a and b overlap Mon 20:00-21:00",
        ),
        (
            {"time_zone": "Nowhere/Else", "chain": ON_CALL},
            "SESSIONS_FALLBACK_DUTY_CHAIN is not a roster: .*unknown time zone .Nowhere/Else.",
        ),
    ],
)
async def test_an_on_call_setting_that_is_no_roster_is_refused_at_start(
    nats_url, dbs, on_call, refusal
):
    app = create_app(await config(dbs, nats_url, fallback_duty_chain=on_call))
    with pytest.raises(StartupError, match=refusal):
        await app.state.runtime.start()
    await app.state.runtime.stop()
