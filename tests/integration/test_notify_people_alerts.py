"""Notify on a real NATS server, for alerts about the people who give support rather than the
patients: a mentor's lapsing certification reaches the mentor and the coordinators of every
branch they serve (each once), a supervisor over the ratio reaches the branches' coordinators,
and a mentor asking for support in a wellbeing check reaches their supervisor. None is a
crisis: each goes on the channels the person chose for its kind, after their quiet hours."""

from datetime import UTC, date, datetime, timedelta

import pytest

from helpers.apps import FAST, running
from helpers.events import Publisher
from helpers.notify import BRANCH, deliveries_of, notifications, notify_app, person
from helpers.waiting import wait_until
from notify.config import NotifySettings
from shared.contracts.matching import (
    POOL_BRANCH,
    CertificationLapsing,
    CertificationLapsingState,
    SupervisionRatioState,
    SupervisorOverRatio,
)
from shared.contracts.sessions import WellbeingSupportRequested, WellbeingSupportState

OTHER = "kol-behala"


def quiet_now() -> dict[str, str]:
    """Quiet hours (in UTC) from an hour ago to two hours ahead."""
    now = datetime.now(UTC)
    return {
        "start": (now - timedelta(hours=1)).strftime("%H:%M"),
        "end": (now + timedelta(hours=2)).strftime("%H:%M"),
    }


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
            "mn_rupa01": person(
                ["mentor"], email="rupa@example.org", channels={"certification": ["email"]}
            ),
            "co_salt": person(["coordinator"]),
            "co_both": person(
                ["coordinator"],
                [BRANCH, OTHER],
                email="both@example.org",
                channels={"supervision": ["email"]},
            ),
            "co_behala": person(["coordinator"], [OTHER]),
            "sup_mitra": person(
                ["supervisor"],
                email="mitra@example.org",
                channels={"wellbeing": ["email"]},
                quiet_hours=quiet_now(),
                timezone="UTC",
            ),
            "sup_other": person(["supervisor"]),
        }
        for person_id, body in people.items():
            answer = await service.client.put(f"/people/{person_id}", json=body)
            assert answer.status_code == 200, answer.text
        yield service


async def deliveries(service, notification_id):
    return {row.channel: row for row in await deliveries_of(service, notification_id)}


async def test_a_lapsing_certification_reaches_the_mentor_and_each_branchs_coordinators_once(
    notify, clean_nats
):
    lapsing = CertificationLapsingState(
        version=1,
        mentor_id="mn_rupa01",
        branches=[OTHER, BRANCH],
        certification="crisis_response",
        expires_on=date.today() + timedelta(days=21),
        days_left=21,
    )
    async with Publisher(clean_nats) as publisher:
        await publisher.event(CertificationLapsing.new(lapsing, branch=POOL_BRANCH))
        rows = await wait_until(
            lambda: notifications(notify, kind="certification"),
            lambda rows: len(rows) == 4,
            what="four certification notifications",
        )

    by_person = {row["person_id"]: row for row in rows}
    assert sorted(by_person) == ["co_behala", "co_both", "co_salt", "mn_rupa01"]
    assert by_person["co_behala"]["branch"] == OTHER and by_person["co_salt"]["branch"] == BRANCH
    mentor = by_person["mn_rupa01"]
    assert mentor["title"] == "Saathi: a mentor's crisis response certification lapses in 21 days"
    assert mentor["facts"]["expires_on"] == lapsing.expires_on.isoformat()
    assert mentor["facts"]["ref"] == "mn_rupa01" and not any(r["fallback"] for r in rows)
    # the mentor chose e-mail for certifications; co_both chose it only for supervision
    assert sorted(await deliveries(notify, mentor["notification_id"])) == ["console", "email"]
    assert sorted(await deliveries(notify, by_person["co_both"]["notification_id"])) == ["console"]


async def test_a_supervisor_over_the_ratio_is_a_matter_for_the_branchs_coordinators(
    notify, clean_nats
):
    over = SupervisionRatioState(
        version=1,
        supervisor_id="sup_mitra",
        branches=[OTHER],
        mentors=9,
        ratio=8,
        over_since=datetime.now(UTC),
    )
    async with Publisher(clean_nats) as publisher:
        await publisher.event(SupervisorOverRatio.new(over, branch=POOL_BRANCH))
        rows = await wait_until(
            lambda: notifications(notify, kind="supervision"),
            lambda rows: len(rows) == 2,
            what="supervision notifications",
        )

    assert sorted(row["person_id"] for row in rows) == ["co_behala", "co_both"]
    assert {row["subject_id"] for row in rows} == {"sup_mitra"}
    assert rows[0]["facts"] == {"branch": OTHER, "count": "9", "ratio": "8", "ref": "sup_mitra"}
    assert rows[0]["title"] == f"Saathi: a supervisor at {OTHER} is over the supervision ratio"
    [both] = [row for row in rows if row["person_id"] == "co_both"]
    assert sorted(await deliveries(notify, both["notification_id"])) == ["console", "email"]


async def test_a_mentor_asking_for_support_reaches_their_supervisor_after_quiet_hours(
    notify, clean_nats
):
    asked = WellbeingSupportState(
        version=1,
        check_id="wb_0a1b2c3d4e",
        mentor_id="mn_rupa01",
        supervisor_id="sup_mitra",
        branches=[BRANCH],
        requested_at=datetime.now(UTC),
    )
    async with Publisher(clean_nats) as publisher:
        await publisher.event(WellbeingSupportRequested.new(asked, branch=BRANCH))
        [row] = await wait_until(
            lambda: notifications(notify, kind="wellbeing"), what="wellbeing notification"
        )

    assert (row["person_id"], row["subject_id"]) == ("sup_mitra", "wb_0a1b2c3d4e")
    assert row["title"] == "Saathi: a mentor asked you for support"
    assert row["facts"] == {"ref": "mn_rupa01"}  # no score, no words
    channels = await deliveries(notify, row["notification_id"])
    # the console at once; the e-mail waits for the end of the supervisor's quiet hours
    assert channels["console"].due_at <= channels["email"].due_at
    assert _utc(channels["email"].due_at) > datetime.now(UTC)


async def test_a_mentor_without_a_known_supervisor_reaches_the_branchs_supervisors(
    notify, clean_nats
):
    asked = WellbeingSupportState(
        version=1,
        check_id="wb_9f8e7d6c5b",
        mentor_id="mn_rupa01",
        supervisor_id=None,
        branches=[BRANCH],
        requested_at=datetime.now(UTC),
    )
    async with Publisher(clean_nats) as publisher:
        await publisher.event(WellbeingSupportRequested.new(asked, branch=BRANCH))
        rows = await wait_until(
            lambda: notifications(notify, kind="wellbeing"),
            lambda rows: len(rows) == 2,
            what="wellbeing notifications",
        )

    assert sorted(row["person_id"] for row in rows) == ["sup_mitra", "sup_other"]


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
