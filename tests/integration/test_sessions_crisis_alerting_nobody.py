"""No crisis unheard: a crisis at a branch where nobody is on duty (a branch sessions was not
configured for, no fallback chain) is an ERROR log, a metric and a readiness failure until a
roster is set there, and then its first person is alerted at once."""

import json
import logging
from functools import partial

from helpers.apps import FAST, FakeClock, running
from helpers.auth import bearer
from helpers.backends import Databases
from helpers.sessions import known_matches, match
from helpers.streams import stream_messages
from helpers.waiting import wait_until
from sessions.app import create_app
from sessions.config import SessionsSettings

KNOWN, NEW = "kol-salt-lake", "kol-new-town"
CHAIN = [{"person_id": "dr-first", "role": "clinician"}]
PATIENT = "pt_unheard"


def metric(text: str, branch: str) -> float | None:
    """The gauge of open crises alerting nobody at `branch`, from /metrics."""
    prefix = f'saathi_crises_alerting_nobody{{branch="{branch}"}} '
    found = [line for line in text.splitlines() if line.startswith(prefix)]
    return float(found[0].removeprefix(prefix)) if found else None


async def without_fallback(
    dbs: Databases, nats_url: str, clock: FakeClock, **update: object
) -> SessionsSettings:
    """Settings with no fallback chain for sessions whose one configured branch has its roster
    (set in a first run with the fallback), so it starts; a new branch then sends matches
    before anyone set a roster there."""
    first_run = SessionsSettings(database_url=await dbs.url("sessions"), nats_url=nats_url, **FAST)
    async with running(partial(create_app, clock=clock), first_run) as service:
        await service.client.put(f"/duty-rosters/{KNOWN}", json={"chain": CHAIN})
    return first_run.model_copy(update={"fallback_duty_chain": [], "branches": [KNOWN], **update})


async def test_a_crisis_alerting_nobody_is_logged_measured_and_not_ready(
    clean_nats, dbs: Databases, caplog
):
    clock = FakeClock()
    config = await without_fallback(dbs, clean_nats, clock)
    async with running(partial(create_app, clock=clock), config) as service:
        await known_matches(service, clean_nats, match("mt_unheard", PATIENT, branch=NEW))
        with caplog.at_level(logging.ERROR, logger="sessions"):
            flagged = await service.client.post(
                "/crises", json={"match_id": "mt_unheard", "severity": "critical"}
            )
        assert flagged.status_code == 201, flagged.text  # a flag is never refused
        crisis = flagged.json()
        assert "person_id" not in crisis["alerts"][0]
        [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
        assert crisis["crisis_id"] in record.getMessage() and NEW in record.getMessage()
        assert PATIENT not in record.getMessage()

        ready = await service.client.get("/readyz")
        assert ready.status_code == 503
        check = ready.json()["checks"]["listener:crisis-reach"]
        assert check["ok"] is False and f"alerting nobody at {NEW} (1)" in check["detail"]
        assert metric((await service.client.get("/metrics")).text, NEW) == 1.0

        await service.client.put(f"/duty-rosters/{NEW}", json={"chain": CHAIN})
        row = (await service.client.get(f"/crises/{crisis['crisis_id']}")).json()
        assert row["alerts"][-1]["person_id"] == "dr-first"
        assert (await service.client.get("/readyz")).status_code == 200
        assert metric((await service.client.get("/metrics")).text, NEW) == 0.0
        answered = await service.client.post(
            f"/crises/{crisis['crisis_id']}/acknowledge", json={"person_id": "dr-first"}
        )
        assert answered.status_code == 200
    escalated = await wait_until(
        lambda: stream_messages(clean_nats, "SAATHI_SESSIONS"),
        lambda ms: any(m.subject == "sessions.crisis.escalated.v1" for m in ms),
        what="the alert to the new roster's first person",
    )
    [alert] = [json.loads(m.data)["data"] for m in escalated if "escalated" in m.subject]
    assert alert["notified_person_id"] == "dr-first"


async def test_an_unheard_crisis_stays_unheard_and_logged_until_someone_is_on_duty(
    clean_nats, dbs: Databases, caplog
):
    clock = FakeClock()
    config = await without_fallback(dbs, clean_nats, clock, crisis_check_interval_s=3600)
    async with running(partial(create_app, clock=clock), config) as service:
        await known_matches(service, clean_nats, match("mt_unheard", PATIENT, branch=NEW))
        flag = {"match_id": "mt_unheard", "severity": "high"}
        crisis = (await service.client.post("/crises", json=flag)).json()
        [job] = [x for x in service.runtime.listeners if x.name == "crisis-escalations"]
        clock.advance(minutes=16)
        caplog.clear()
        with caplog.at_level(logging.ERROR, logger="sessions"):
            assert await job.check() == 0  # nobody to escalate to: no empty "alert"
        assert any(crisis["crisis_id"] in r.getMessage() for r in caplog.records)
        row = (await service.client.get(f"/crises/{crisis['crisis_id']}")).json()
        assert len(row["alerts"]) == 1
        assert (await service.client.get("/readyz")).status_code == 503


async def test_a_branch_without_a_roster_alerts_the_network_on_call_who_takes_it_on(
    clean_nats, dbs: Databases
):
    config = SessionsSettings(database_url=await dbs.url("sessions"), nats_url=clean_nats, **FAST)
    async with running(partial(create_app, clock=FakeClock()), config) as service:
        await known_matches(service, clean_nats, match("mt_on_call", PATIENT, branch=NEW))
        flag = {"match_id": "mt_on_call", "severity": "high"}
        crisis = (await service.client.post("/crises", json=flag)).json()
        assert crisis["alerts"][0]["person_id"] == "network-on-call"
        on_call = bearer("clinician", subject="network-on-call")  # a token for every branch
        answered = await service.client.post(
            f"/crises/{crisis['crisis_id']}/acknowledge",
            json={"person_id": "network-on-call"},
            headers=on_call,
        )
        assert answered.status_code == 200, answered.text
        assert (await service.client.get("/readyz")).status_code == 200


async def test_a_supervisor_alerted_for_another_supervisors_mentee_can_take_it_on(
    clean_nats, dbs: Databases
):
    clock = FakeClock()
    database_url = await dbs.url("sessions")
    # The job never runs by itself here (an hour apart): the test runs it after moving time.
    config = SessionsSettings(
        database_url=database_url, nats_url=clean_nats, crisis_check_interval_s=3600, **FAST
    )
    chain = [*CHAIN, {"person_id": "sup-on-duty", "role": "supervisor"}]
    async with running(partial(create_app, clock=clock), config) as service:
        await service.client.put(f"/duty-rosters/{KNOWN}", json={"chain": chain})
        await known_matches(service, clean_nats, match("mt_sup", PATIENT, branch=KNOWN))
        flag = {"match_id": "mt_sup", "severity": "high"}
        crisis = (await service.client.post("/crises", json=flag)).json()
        clock.advance(minutes=16)
        [job] = [x for x in service.runtime.listeners if x.name == "crisis-escalations"]
        assert await job.check() == 1  # dr-first did not answer: the supervisor is alerted
        url = f"/crises/{crisis['crisis_id']}"
        on_duty = bearer("supervisor", subject="sup-on-duty")  # supervises no mentor here
        stranger = bearer("supervisor", subject="sup-elsewhere")
        assert (await service.client.get(url, headers=stranger)).status_code == 404
        assert (await service.client.get(url, headers=on_duty)).status_code == 200
        answered = await service.client.post(
            f"{url}/acknowledge", json={"person_id": "sup-on-duty"}, headers=on_duty
        )
        assert answered.status_code == 200, answered.text
