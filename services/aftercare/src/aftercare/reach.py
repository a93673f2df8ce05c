"""Which patients and records a caller reaches, in aftercare's own tables."""

from sqlalchemy import ColumnElement, true
from sqlmodel import col

from aftercare.models import EpisodeProjection, MatchProjection, OutpatientGroup
from shared.access import BRANCH_ROLES, Access, reach_over

# Aftercare does not know who supervises whom: supervisors read it through sessions.
REACH = reach_over(EpisodeProjection, MatchProjection)


def groups_of(access: Access) -> ColumnElement[bool]:
    """Groups listed to a caller: branch staff see their branch's, mentors every branch's."""
    if access.role in BRANCH_ROLES and not access.reaches_every_patient:
        return col(OutpatientGroup.branch) == access.branch
    return true()
