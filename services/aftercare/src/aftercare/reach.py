"""Which patients and records a caller reaches, in aftercare's own tables."""

from sqlalchemy import ColumnElement, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from aftercare.enrolment.models import (
    Enrolment,
    EpisodeProjection,
    MatchProjection,
    OutpatientGroup,
)
from shared.access import BRANCH_ROLES, Access, ensure_visible, reach_over, visible

# Aftercare does not know who supervises whom: supervisors read it through sessions.
REACH = reach_over(EpisodeProjection, MatchProjection)


def groups_of(access: Access) -> ColumnElement[bool]:
    """Groups listed to a caller: branch staff see their branch's, mentors every branch's."""
    if access.role in BRANCH_ROLES and not access.reaches_every_patient:
        return col(OutpatientGroup.branch) == access.branch
    return true()


def enrolments_of(access: Access) -> ColumnElement[bool]:
    """Enrolments a caller reaches: their branch's, or a mentor's continuing mentees'."""
    return visible(access, REACH, branch=col(Enrolment.branch), mentor=col(Enrolment.mentor_id))


async def ensure_enrolment(session: AsyncSession, access: Access, enrolment_id: str) -> None:
    """404 unless the caller reaches this enrolment."""
    what = f"enrolment {enrolment_id!r}"
    key = col(Enrolment.enrolment_id)
    await ensure_visible(session, key, enrolment_id, enrolments_of(access), what)
