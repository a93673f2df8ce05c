"""The supervision ratio watched: when a supervisor goes over it (more mentors, not retired,
than `MATCHING_MAX_MENTORS_PER_SUPERVISOR`), `matching.supervisor.over_ratio` is announced once,
in the transaction of the change that took them over; again only after they came back within
it. A periodic run catches what no mentor change shows (the ratio setting lowered)."""

from collections.abc import Iterable

from sqlalchemy import Insert, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from matching.pool import domain
from matching.pool.models import Mentor, MentorBranch, SupervisionWatch
from shared.contracts.envelope import utcnow
from shared.contracts.matching import POOL_BRANCH, SupervisionRatioState, SupervisorOverRatio
from shared.db import changed_a_row
from shared.outbox import stage


async def _loads(session: AsyncSession, supervisors: list[str] | None) -> dict[str, int]:
    query = (
        select(col(Mentor.supervisor_id), func.count())
        .where(col(Mentor.supervisor_id).is_not(None), col(Mentor.status) != "retired")
        .group_by(col(Mentor.supervisor_id))
    )
    if supervisors is not None:
        query = query.where(col(Mentor.supervisor_id).in_(supervisors))
    return {str(supervisor): int(count) for supervisor, count in await session.execute(query)}


async def _watched(session: AsyncSession, supervisors: list[str] | None) -> dict[str, bool]:
    query = select(col(SupervisionWatch.supervisor_id), col(SupervisionWatch.over))
    if supervisors is not None:
        query = query.where(col(SupervisionWatch.supervisor_id).in_(supervisors))
    return {supervisor: bool(over) for supervisor, over in await session.execute(query)}


def _insert_if_absent(dialect: str, supervisor_id: str) -> Insert:
    """A watch row for the supervisor, unless another transaction wrote one first."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (
        insert(SupervisionWatch)
        .values(
            supervisor_id=supervisor_id, over=False, crossings=0, mentors=0, changed_at=utcnow()
        )
        .on_conflict_do_nothing(index_elements=["supervisor_id"])
    )


async def _went_over(session: AsyncSession, supervisor_id: str, mentors: int) -> bool:
    """Mark the supervisor over (once: a concurrent change that did it first wins)."""
    await session.execute(_insert_if_absent(session.get_bind().dialect.name, supervisor_id))
    return await changed_a_row(
        session,
        update(SupervisionWatch)
        .where(
            col(SupervisionWatch.supervisor_id) == supervisor_id,
            col(SupervisionWatch.over).is_(False),
        )
        .values(
            over=True,
            crossings=col(SupervisionWatch.crossings) + 1,
            mentors=mentors,
            changed_at=utcnow(),
        )
        .execution_options(synchronize_session=False),
    )


async def _announce(session: AsyncSession, supervisor_id: str, mentors: int, ratio: int) -> None:
    watch = await session.get(SupervisionWatch, supervisor_id, populate_existing=True)
    assert watch is not None  # written just before, in this transaction
    branches = await session.scalars(
        select(col(MentorBranch.branch))
        .distinct()
        .join(Mentor, col(Mentor.mentor_id) == col(MentorBranch.mentor_id))
        .where(col(Mentor.supervisor_id) == supervisor_id, col(Mentor.status) != "retired")
    )
    state = SupervisionRatioState(
        version=watch.crossings,
        supervisor_id=supervisor_id,
        branches=sorted(branches),
        mentors=mentors,
        ratio=ratio,
        over_since=watch.changed_at,
    )
    stage(session, SupervisorOverRatio.new(state, branch=POOL_BRANCH))


async def watch_supervisors(
    session: AsyncSession, ratio: int, supervisors: Iterable[str | None] | None = None
) -> int:
    """Compare `supervisors` (None: every one) with the ratio; announce who went over, note who
    came back within it. Returns how many went over."""
    wanted = None if supervisors is None else sorted({s for s in supervisors if s})
    if wanted == []:
        return 0
    loads, watched = await _loads(session, wanted), await _watched(session, wanted)
    went_over = 0
    for supervisor_id in sorted(set(loads) | set(watched)):
        mentors = loads.get(supervisor_id, 0)
        change = domain.crossing(watched.get(supervisor_id, False), mentors, ratio)
        if change == "over" and await _went_over(session, supervisor_id, mentors):
            await _announce(session, supervisor_id, mentors, ratio)
            went_over += 1
        elif change == "under":
            await session.execute(
                update(SupervisionWatch)
                .where(col(SupervisionWatch.supervisor_id) == supervisor_id)
                .values(over=False, mentors=mentors, changed_at=utcnow())
                .execution_options(synchronize_session=False)
            )
    return went_over
