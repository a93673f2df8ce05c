"""A mentor's dated leave on real JetStream, with the days made to pass in the database: it
starts on its own (mentees matched again, sessions told), no new mentee while it lasts, and
it ends on its own (back in matching, sessions told), nobody flipping a flag."""

import json
from datetime import date, timedelta

from sqlalchemy import update

from helpers import factories
from helpers.backends import Databases
from helpers.events import Publisher
from helpers.matching import admit_with_consent, matches, matching_running
from helpers.streams import messages_on
from helpers.waiting import wait_until
from matching.pool.models import Mentor
from shared import db


async def _days_pass(url: str, first: date, last: date) -> None:
    """The calendar moves on: the leave's dates now fall as given (its start not yet applied)."""
    engine = db.make_engine(url)
    try:
        async with db.transaction(db.make_sessionmaker(engine)) as session:
            await session.execute(
                update(Mentor)
                .where(Mentor.mentor_id == "a-leaving")
                .values(leave_starts_on=first, leave_ends_on=last)
            )
    finally:
        await engine.dispose()


async def holder(service, episode_id: str) -> str | None:
    held = [m for m in await matches(service, episode_id=episode_id) if m["status"] == "active"]
    return held[0]["mentor_id"] if held else None


async def announced(nats_url: str) -> list[str]:
    found = await messages_on(nats_url, "SAATHI_MATCHING", "matching.mentor.changed")
    states = [json.loads(m.data)["data"] for m in found]
    return [s["status"] for s in states if s["mentor_id"] == "a-leaving"]


async def test_a_dated_leave_starts_and_ends_on_its_own(clean_nats, dbs: Databases):
    url = await dbs.url("matching")
    today = date.today()
    async with matching_running(
        clean_nats, dbs, database_url=url, leave_check_interval_s=0.1
    ) as service:
        client = service.client
        for mentor_id in ("a-leaving", "b-backup"):
            await client.post("/mentors", json=factories.mentor(mentor_id=mentor_id))
        leave = {"starts_on": str(today + timedelta(days=1)), "ends_on": str(today + timedelta(3))}
        planned = await client.patch("/mentors/a-leaving", json={"leave": leave})
        assert planned.status_code == 200, planned.text
        assert (planned.json()["leave"], planned.json()["on_leave_today"]) == (leave, False)
        async with Publisher(clean_nats) as publisher:
            first = await admit_with_consent(publisher)
            assert await wait_until(lambda: holder(service, first.episode_id)) == "a-leaving"

            await _days_pass(url, today, today + timedelta(days=2))  # the first day came
            await wait_until(
                lambda: holder(service, first.episode_id),
                lambda mentor: mentor == "b-backup",
                what="the mentee matched again when the leave starts",
            )
            during = await admit_with_consent(publisher)
            assert await wait_until(lambda: holder(service, during.episode_id)) == "b-backup"
            away = (await client.get("/mentors/a-leaving")).json()
            assert (away["status"], away["on_leave_today"]) == ("active", True)

            await _days_pass(url, today - timedelta(days=3), today - timedelta(days=1))  # over
            await wait_until(
                lambda: client.get("/mentors/a-leaving"),
                lambda response: response.json()["leave"] is None,
                what="the leave over",
            )
            after = await admit_with_consent(publisher)
            assert await wait_until(lambda: holder(service, after.episode_id)) == "a-leaving"
        handed_over = await matches(service, episode_id=first.episode_id, status="ended")
    assert [m["ended_reason"] for m in handed_over] == ["mentor on leave"]
    statuses = await wait_until(
        lambda: announced(clean_nats), lambda found: len(found) == 4, what="announcements"
    )
    assert statuses == ["active", "active", "on_leave", "active"]
