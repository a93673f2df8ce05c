"""What supervisors act on: core certifications missing, expired or expiring soon, and how many
mentors each supervisor carries."""

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from matching.pool import domain
from matching.pool.models import Mentor, MentorCertification


async def certification_notices(
    session: AsyncSession, core: Sequence[str], today: date, notice_days: int
) -> list[domain.CertificationNotice]:
    """Core certifications missing, expired or expiring within `notice_days`, for every mentor
    not retired: what supervisors must act on before a mentor drops out of matching."""
    mentors = list(
        await session.scalars(select(col(Mentor.mentor_id)).where(col(Mentor.status) != "retired"))
    )
    held: dict[str, dict[str, date]] = {mentor_id: {} for mentor_id in mentors}
    rows = await session.execute(
        select(
            col(MentorCertification.mentor_id),
            col(MentorCertification.kind),
            col(MentorCertification.expires_on),
        ).where(col(MentorCertification.kind).in_(core))
    )
    for mentor_id, kind, expires_on in rows:
        if mentor_id in held:
            held[mentor_id][kind] = expires_on
    notices = [
        notice
        for mentor_id in mentors
        for notice in domain.certification_notices(
            mentor_id, held[mentor_id], core, today, notice_days
        )
    ]
    return sorted(notices, key=lambda n: (n.expires_on or date.min, n.mentor_id, n.kind))


async def supervision(session: AsyncSession, limit: int) -> list[domain.SupervisionLoad]:
    """Each supervisor's number of mentors (not retired), most loaded first."""
    rows = await session.execute(
        select(col(Mentor.supervisor_id), func.count())
        .where(col(Mentor.supervisor_id).is_not(None), col(Mentor.status) != "retired")
        .group_by(col(Mentor.supervisor_id))
    )
    loads = [domain.SupervisionLoad(str(sup), int(count), limit) for sup, count in rows]
    return sorted(loads, key=lambda load: (-load.mentors, load.supervisor_id))
