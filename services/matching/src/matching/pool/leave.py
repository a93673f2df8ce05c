"""Dated leave. From its first day to its last a mentor takes no new mentee: every match
checks the date, so that needs no timer. A periodic run applies the side effects on time: at
the start the mentor's mentees are matched again and sessions is told the mentor is on leave
(as for the `on_leave` status); after the end sessions is told they are back, waiting
patients are offered their places and the dates are cleared."""

from datetime import date

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from matching.matches.domain import Policy
from matching.matches.handlers import release_ineligible_mentors
from matching.pool.index import note_change
from matching.pool.models import Mentor
from matching.pool.profiles import announce
from matching.pool.schemas import Leave
from matching.waitlist.handlers import fill_waitlist
from shared.contracts.envelope import utcnow
from shared.errors import Invalid

LEAVE_BATCH = 500  # mentors whose leave starts or ends, per run at most


def set_leave(mentor: Mentor, leave: Leave | None, today: date) -> None:
    """Give the mentor this leave (None: no leave); one already over is refused."""
    if leave is not None and leave.ends_on < today:
        raise Invalid(f"leave: it ended on {leave.ends_on.isoformat()}, before today")
    mentor.leave_starts_on = leave.starts_on if leave else None
    mentor.leave_ends_on = leave.ends_on if leave else None
    mentor.leave_begun = leave is not None and leave.starts_on <= today


async def apply_leave_calendar(
    session: AsyncSession, policy: Policy, today: date | None = None
) -> int:
    """Apply the leaves that started or ended (once each, also after a missed run); return how
    many mentors changed. Replicas skip mentors another one is updating."""
    today = today or utcnow().date()
    due = list(
        await session.scalars(
            select(Mentor)
            .where(
                col(Mentor.leave_starts_on).is_not(None),
                or_(
                    and_(~col(Mentor.leave_begun), col(Mentor.leave_starts_on) <= today),
                    col(Mentor.leave_ends_on) < today,
                ),
            )
            .order_by(col(Mentor.mentor_id))
            .limit(LEAVE_BATCH)
            .with_for_update(skip_locked=True)
        )
    )
    for mentor in due:
        over = mentor.leave_ends_on is not None and mentor.leave_ends_on < today
        if over:
            set_leave(mentor, None, today)
        else:
            mentor.leave_begun = True
        mentor.version += 1
        mentor.updated_at = utcnow()
        note_change(session, mentor.mentor_id)
        await announce(session, mentor)
    if due:
        await session.flush()
        await release_ineligible_mentors(session, policy)
        await fill_waitlist(session, None, policy)
    return len(due)
