"""What supervisors act on: core certifications missing, expired or expiring soon, and how many
mentors each supervisor carries; certifications entering the notice window are announced once
(`matching.mentor.certification_lapsing`)."""

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from matching.pool import domain
from matching.pool.models import CertificationAnnounced, Mentor, MentorBranch, MentorCertification
from shared.contracts.envelope import utcnow
from shared.contracts.matching import POOL_BRANCH, CertificationLapsing, CertificationLapsingState
from shared.outbox import stage

NOTICE_BATCH = 500  # certifications announced per run at most; the next run takes the rest


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


async def branches_of(session: AsyncSession, mentor_ids: Sequence[str]) -> dict[str, list[str]]:
    """The branches each mentor serves, sorted."""
    found: dict[str, set[str]] = defaultdict(set)
    rows = await session.execute(
        select(col(MentorBranch.mentor_id), col(MentorBranch.branch)).where(
            col(MentorBranch.mentor_id).in_(mentor_ids)
        )
    )
    for mentor_id, branch in rows:
        found[mentor_id].add(branch)
    return {mentor_id: sorted(found[mentor_id]) for mentor_id in mentor_ids}


async def announce_lapsing(
    session: AsyncSession, notice_days: int, today: date | None = None
) -> int:
    """Announce each certification of a mentor (not retired) that lapses within the notice
    window and was not announced yet for that expiry date; return how many. The row noting it
    commits with the event: a restart or a second replica never announces it twice."""
    today = today or utcnow().date()
    announced = exists().where(
        col(CertificationAnnounced.mentor_id) == col(MentorCertification.mentor_id),
        col(CertificationAnnounced.kind) == col(MentorCertification.kind),
        col(CertificationAnnounced.expires_on) == col(MentorCertification.expires_on),
    )
    due = (
        await session.execute(
            select(MentorCertification)
            .join(Mentor, col(Mentor.mentor_id) == col(MentorCertification.mentor_id))
            .where(
                col(Mentor.status) != "retired",
                col(MentorCertification.expires_on) >= today,
                col(MentorCertification.expires_on) <= today + timedelta(days=notice_days),
                ~announced,
            )
            .order_by(col(MentorCertification.expires_on), col(MentorCertification.mentor_id))
            .limit(NOTICE_BATCH)
        )
    ).scalars()
    lapsing = [c for c in due if domain.in_notice_window(c.expires_on, today, notice_days)]
    branches = await branches_of(session, sorted({c.mentor_id for c in lapsing}))
    now = utcnow()
    for certification in lapsing:
        session.add(
            CertificationAnnounced(
                mentor_id=certification.mentor_id,
                kind=certification.kind,
                expires_on=certification.expires_on,
                announced_at=now,
            )
        )
        state = CertificationLapsingState(
            version=1,
            mentor_id=certification.mentor_id,
            branches=branches[certification.mentor_id],
            certification=certification.kind,
            expires_on=certification.expires_on,
            days_left=(certification.expires_on - today).days,
        )
        stage(session, CertificationLapsing.new(state, branch=POOL_BRANCH))
    await session.flush()
    return len(lapsing)
