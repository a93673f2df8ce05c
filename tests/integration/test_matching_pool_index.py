"""The in-memory pool index behind the online decision may be stale (another replica changed
a mentor this one has not touched); the claim in the database catches it, so no rule is ever
broken and the next best mentor is taken."""

from datetime import date, timedelta

from sqlalchemy import update

from helpers import factories
from helpers.backends import Databases
from helpers.events import Publisher
from helpers.matching import admit_with_consent, matches, matching_running
from helpers.waiting import wait_until
from matching.pool.models import Mentor
from shared import db


async def _another_replica_writes(url: str, **values: object) -> None:
    other = db.make_engine(url)
    try:
        async with db.transaction(db.make_sessionmaker(other)) as session:
            await session.execute(update(Mentor).where(Mentor.mentor_id == "b").values(**values))
    finally:
        await other.dispose()


async def _second_patients_mentor(clean_nats: str, dbs: Databases, **change: object) -> str:
    """a and b have five places, c one. The first patient gets a, so the index then prefers
    b (most room) for the second — unless another replica's change to b is caught."""
    url = await dbs.url("matching")
    async with matching_running(clean_nats, dbs, database_url=url) as service:
        client = service.client
        for mentor_id, capacity in (("a", 5), ("b", 5), ("c", 1)):
            await client.post(
                "/mentors", json=factories.mentor(mentor_id=mentor_id, capacity=capacity)
            )
        async with Publisher(clean_nats) as publisher:
            first = await admit_with_consent(publisher)
            [match] = await wait_until(
                lambda: matches(service, episode_id=first.episode_id), what="first match"
            )
            assert match["mentor_id"] == "a"
            await _another_replica_writes(url, **change)
            second = await admit_with_consent(publisher)
            [match] = await wait_until(
                lambda: matches(service, episode_id=second.episode_id), what="second match"
            )
            assert (await client.get("/mentors/b")).json()["active_mentees"] == change.get(
                "active_mentees", 0
            )
    return str(match["mentor_id"])


async def test_a_mentor_another_replica_put_on_leave_is_not_matched(clean_nats, dbs):
    chosen = await _second_patients_mentor(
        clean_nats, dbs, status="on_leave", version=Mentor.version + 1
    )
    assert chosen == "c"


async def test_a_mentor_another_replica_filled_is_not_overfilled(clean_nats, dbs):
    chosen = await _second_patients_mentor(clean_nats, dbs, active_mentees=5)
    assert chosen == "c"


async def test_a_mentor_another_replica_sent_on_a_dated_leave_is_not_matched(clean_nats, dbs):
    today = date.today()
    chosen = await _second_patients_mentor(
        clean_nats, dbs, leave_starts_on=today, leave_ends_on=today + timedelta(days=7)
    )
    assert chosen == "c"
