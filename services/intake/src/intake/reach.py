"""Which patients and episodes a caller reaches, in intake's own tables."""

from typing import Any

from sqlalchemy import Select, select
from sqlmodel import col

from intake.models import Episode
from shared.access import Reach


def _patients_at(branch: str) -> Select[Any]:
    return select(col(Episode.patient_ref)).where(col(Episode.branch) == branch)


def _episodes_at(branch: str) -> Select[Any]:
    return select(col(Episode.episode_id)).where(col(Episode.branch) == branch)


def _nobody(_: Any) -> Select[Any]:
    # Mentors and supervisors never read intake: the identity vault is for branch staff.
    return select(col(Episode.patient_ref)).where(col(Episode.patient_ref).is_(None))


REACH = Reach(patients_at=_patients_at, mentees_of=_nobody, episodes_at=_episodes_at)
