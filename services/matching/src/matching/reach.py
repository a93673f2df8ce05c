"""Which patients, episodes and mentors a caller reaches, in matching's own tables."""

from matching.models import EpisodeProjection, Match, Mentor
from shared.access import reach_over

REACH = reach_over(EpisodeProjection, Match, Mentor)
