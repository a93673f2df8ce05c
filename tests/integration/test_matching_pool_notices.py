"""Matching on real JetStream tells notify of two things about the people who give support: a
mentor's certification entering the notice window (once per mentor, certification and expiry
date, also across a restart; again for a renewal's new date) and a supervisor going over the
supervision ratio (once per crossing, in the transaction of the change that took them over,
again only after coming back within it; a lowered ratio is caught by the periodic check)."""

import json
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from helpers import factories
from helpers.backends import Databases
from helpers.matching import matching_running
from helpers.streams import messages_on
from helpers.waiting import wait_until
from shared.contracts.matching import CertificationLapsing, SupervisorOverRatio
from shared.outbox import OutboxRecord

CORE = factories.CORE_CERTIFICATIONS


def certifications(**expiring: date) -> list[dict[str, str]]:
    """Core certifications valid for over a year, but those named expiring on their date."""
    held = factories.certifications(date.today() + timedelta(days=400))
    for entry in held:
        if entry["kind"] in expiring:
            expires = expiring[entry["kind"]]
            entry |= {"issued_on": str(expires - timedelta(365)), "expires_on": str(expires)}
    return held


async def staged(service, subject: str) -> list[dict[str, Any]]:
    """The `data` of every event on `subject` in matching's outbox (published or not)."""
    async with service.runtime.sessionmaker() as session:
        rows = await session.scalars(
            select(OutboxRecord).where(OutboxRecord.subject == subject).order_by(OutboxRecord.id)
        )
        return [json.loads(row.payload)["data"] for row in rows]


async def test_a_lapsing_certification_is_announced_once_per_expiry_date_across_restarts(
    clean_nats, dbs: Databases
):
    url, today = await dbs.url("matching"), date.today()
    soon, renewed = today + timedelta(days=20), today + timedelta(days=25)
    fast = {"database_url": url, "certification_check_interval_s": 0.1}
    async with matching_running(clean_nats, dbs, **fast) as service:
        mentors = {
            "m-soon": factories.mentor(
                branches=["kol-salt-lake", "kol-behala"],
                certifications=certifications(crisis_response=soon),
            ),
            "m-later": factories.mentor(certifications=certifications()),
            "m-lapsed": factories.mentor(
                status="trainee",
                certifications=certifications(ethics=today - timedelta(days=1)),
            ),
            "m-retired": factories.mentor(
                status="retired", certifications=certifications(boundaries=soon)
            ),
        }
        for mentor_id, body in mentors.items():
            answer = await service.client.post("/mentors", json={**body, "mentor_id": mentor_id})
            assert answer.status_code == 201, answer.text
        await wait_until(
            lambda: messages_on(clean_nats, "SAATHI_MATCHING", CertificationLapsing.SUBJECT),
            what="the lapsing certification announced",
        )
    async with matching_running(clean_nats, dbs, **fast) as again:
        late = factories.mentor(certifications=certifications(ethics=soon), mentor_id="m-late")
        assert (await again.client.post("/mentors", json=late)).status_code == 201
        await wait_until(
            lambda: staged(again, CertificationLapsing.SUBJECT),
            lambda found: len(found) == 2,
            what="the second mentor's certification announced after the restart",
        )
        renewal = {"certifications": certifications(crisis_response=renewed)}
        assert (await again.client.patch("/mentors/m-soon", json=renewal)).status_code == 200
        announced = await wait_until(
            lambda: staged(again, CertificationLapsing.SUBJECT),
            lambda found: len(found) == 3,
            what="the renewal's new date announced",
        )

    first, late_one, renewal_one = announced
    assert first == {
        "version": 1,
        "mentor_id": "m-soon",
        "branches": ["kol-behala", "kol-salt-lake"],
        "certification": "crisis_response",
        "expires_on": soon.isoformat(),
        "days_left": 20,
    }
    assert (late_one["mentor_id"], late_one["certification"]) == ("m-late", "ethics")
    assert (renewal_one["mentor_id"], renewal_one["expires_on"]) == ("m-soon", renewed.isoformat())
    assert renewal_one["days_left"] == 25


async def test_a_supervisor_going_over_the_ratio_is_announced_once_per_crossing(
    clean_nats, dbs: Databases
):
    url = await dbs.url("matching")
    async with matching_running(
        clean_nats, dbs, database_url=url, max_mentors_per_supervisor=2
    ) as service:
        client = service.client

        async def register(mentor_id: str, supervisor: str, branch: str) -> None:
            body = factories.mentor(branches=[branch], supervisor_id=supervisor)
            answer = await client.post("/mentors", json={**body, "mentor_id": mentor_id})
            assert answer.status_code == 201, answer.text

        async def supervise(mentor_id: str, supervisor: str) -> None:
            answer = await client.patch(f"/mentors/{mentor_id}", json={"supervisor_id": supervisor})
            assert answer.status_code == 200, answer.text

        await register("m-1", "sup_a", "kol-salt-lake")
        await register("m-2", "sup_a", "kol-behala")
        assert await staged(service, SupervisorOverRatio.SUBJECT) == []  # at the ratio: fine
        await register("m-3", "sup_a", "kol-salt-lake")
        await register("m-4", "sup_a", "kol-salt-lake")  # still over: no news
        retired = await client.patch("/mentors/m-4", json={"status": "retired"})
        assert retired.status_code == 200
        first_crossing = await staged(service, SupervisorOverRatio.SUBJECT)
        await supervise("m-1", "sup_b")
        await supervise("m-2", "sup_b")  # sup_a back within the ratio
        await supervise("m-2", "sup_a")
        await supervise("m-1", "sup_a")  # over again
        await register("m-5", "sup_b", "kol-behala")
        await register("m-6", "sup_b", "kol-behala")  # at the ratio
        crossings = await staged(service, SupervisorOverRatio.SUBJECT)
        await wait_until(
            lambda: messages_on(clean_nats, "SAATHI_MATCHING", SupervisorOverRatio.SUBJECT),
            lambda found: len(found) == 2,
            what="both crossings published",
        )
    async with matching_running(
        clean_nats,
        dbs,
        database_url=url,
        max_mentors_per_supervisor=1,
        supervision_check_interval_s=0.1,
    ) as lowered:
        after = await wait_until(
            lambda: staged(lowered, SupervisorOverRatio.SUBJECT),
            lambda found: len(found) == 3,
            what="the periodic check after the ratio was lowered",
        )

    [over] = first_crossing
    assert over["supervisor_id"] == "sup_a" and (over["mentors"], over["ratio"]) == (3, 2)
    assert over["branches"] == ["kol-behala", "kol-salt-lake"] and over["version"] == 1
    assert [(c["supervisor_id"], c["version"]) for c in crossings] == [("sup_a", 1), ("sup_a", 2)]
    # sup_a was over already: only sup_b is news under the lowered ratio
    assert (after[2]["supervisor_id"], after[2]["mentors"], after[2]["ratio"]) == ("sup_b", 2, 1)
