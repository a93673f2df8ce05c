"""Which patients, episodes and mentors a caller reaches, in matching's own tables."""

from typing import Any

from sqlalchemy import Select, select
from sqlmodel import col

from matching.models import EpisodeProjection, Match, Mentor
from shared.access import Reach


def _patients_at(branch: str) -> Select[Any]:
    return select(col(EpisodeProjection.patient_ref)).where(col(EpisodeProjection.branch) == branch)


def _episodes_at(branch: str) -> Select[Any]:
    return select(col(EpisodeProjection.episode_id)).where(col(EpisodeProjection.branch) == branch)


def _mentees_of(mentors: Any) -> Select[Any]:
    return select(col(Match.patient_ref)).where(col(Match.mentor_id).in_(mentors))


def _mentee_episodes_of(mentors: Any) -> Select[Any]:
    return select(col(Match.episode_id)).where(col(Match.mentor_id).in_(mentors))


def _mentors_of(supervisor_id: str) -> Select[Any]:
    return select(col(Mentor.mentor_id)).where(col(Mentor.supervisor_id) == supervisor_id)


REACH = Reach(
    patients_at=_patients_at,
    mentees_of=_mentees_of,
    mentors_of=_mentors_of,
    episodes_at=_episodes_at,
    mentee_episodes_of=_mentee_episodes_of,
)
