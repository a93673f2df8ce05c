"""Which patients and records a caller reaches, in aftercare's own tables."""

from typing import Any

from sqlalchemy import ColumnElement, Select, select, true
from sqlmodel import col

from aftercare.models import EpisodeProjection, MatchProjection, OutpatientGroup
from shared.access import BRANCH_ROLES, Access, Reach


def _patients_at(branch: str) -> Select[Any]:
    return select(col(EpisodeProjection.patient_ref)).where(col(EpisodeProjection.branch) == branch)


def _mentees_of(mentors: Any) -> Select[Any]:
    return select(col(MatchProjection.patient_ref)).where(
        col(MatchProjection.mentor_id).in_(mentors)
    )


# Aftercare does not know who supervises whom: supervisors read it through sessions.
REACH = Reach(patients_at=_patients_at, mentees_of=_mentees_of)


def groups_of(access: Access) -> ColumnElement[bool]:
    """Groups listed to a caller: branch staff see their branch's, mentors every branch's."""
    if access.role in BRANCH_ROLES and not access.reaches_every_patient:
        return col(OutpatientGroup.branch) == access.branch
    return true()
