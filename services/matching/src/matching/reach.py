"""Which patients, episodes and mentors a caller reaches, in matching's own tables."""

from sqlalchemy import ColumnElement
from sqlmodel import col

from matching.matches.models import Match
from matching.patients.models import EpisodeProjection
from matching.pool.models import Mentor
from shared.access import Access, reach_over, visible

REACH = reach_over(EpisodeProjection, Match, Mentor)


def matches_of(access: Access) -> ColumnElement[bool]:
    """The matches a caller reaches: their branch's, their own, or their mentors'."""
    return visible(access, REACH, branch=col(Match.branch), mentor=col(Match.mentor_id))
