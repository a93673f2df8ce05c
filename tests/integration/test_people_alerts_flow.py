"""Alerts about the people who give support, across the real services on one NATS server:
matching's pool changes and its periodic certification check reach notify's directory (a
lapsing certification: the mentor and the branch's coordinator; a supervisor over the ratio:
the coordinator), and a mentor's wellbeing check in sessions asking for support reaches the
supervisor matching says they have."""

from datetime import UTC, date, datetime, timedelta

from helpers import factories
from helpers.apps import FAST, FakeClock, running
from helpers.backends import Databases
from helpers.matching import matching_running
from helpers.notify import BRANCH, notifications, notify_app, person
from helpers.sessions import sessions_running
from helpers.waiting import wait_until
from notify.config import NotifySettings

DIRECTORY = {
    "mn_asha01": person(["mentor"]),
    "mn_bina02": person(["mentor"]),
    "co_salt": person(["coordinator"]),
    "sup_dutta": person(["supervisor"]),
}


async def test_matching_and_sessions_reach_the_right_people_through_notify(
    clean_nats, dbs: Databases
):
    notify_settings = NotifySettings(
        database_url=await dbs.url("notify"),
        nats_url=clean_nats,
        delivery_interval_s=3600,
        **FAST,
    )
    lapsing = factories.certifications(date.today() + timedelta(days=12))
    async with (
        running(notify_app(), notify_settings) as notify,
        matching_running(
            clean_nats, dbs, max_mentors_per_supervisor=1, certification_check_interval_s=0.1
        ) as matching,
        sessions_running(clean_nats, dbs, FakeClock(datetime.now(UTC))) as sessions,
    ):
        for person_id, body in DIRECTORY.items():
            assert (await notify.client.put(f"/people/{person_id}", json=body)).status_code == 200
        asha = factories.mentor(mentor_id="mn_asha01", supervisor_id="sup_dutta")
        bina = factories.mentor(
            mentor_id="mn_bina02", supervisor_id="sup_dutta", certifications=lapsing
        )
        for body in (asha, bina):
            assert (await matching.client.post("/mentors", json=body)).status_code == 201
        over = await wait_until(
            lambda: notifications(notify, kind="supervision"), what="the ratio alert"
        )
        certification = await wait_until(
            lambda: notifications(notify, kind="certification"),
            lambda rows: len(rows) == 8,  # four certifications, each to the mentor and co_salt
            what="the certification alerts",
        )
        await wait_until(
            lambda: sessions.client.get("/supervisors/sup_dutta/mentors"),
            lambda answer: len(answer.json()) == 2,
            what="sessions told who supervises whom",
        )
        asked = await sessions.client.post(
            "/mentors/mn_asha01/wellbeing-checks", json={"score": 2, "wants_support": True}
        )
        assert asked.status_code == 201
        [support] = await wait_until(
            lambda: notifications(notify, kind="wellbeing"), what="the wellbeing alert"
        )

    assert [(row["person_id"], row["subject_id"]) for row in over] == [("co_salt", "sup_dutta")]
    assert over[0]["facts"]["count"] == "2" and over[0]["facts"]["ratio"] == "1"
    by_person: dict[str, int] = {}
    for row in certification:
        by_person[row["person_id"]] = by_person.get(row["person_id"], 0) + 1
    assert by_person == {"mn_bina02": 4, "co_salt": 4}  # one per certification, each once
    assert (support["person_id"], support["subject_id"]) == ("sup_dutta", asked.json()["check_id"])
    assert support["branch"] == BRANCH
