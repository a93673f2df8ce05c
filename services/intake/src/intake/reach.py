"""Which patients and episodes a caller reaches, in intake's own tables (mentors and
supervisors reach none: the identity vault is for branch staff)."""

from intake.models import Episode
from shared.access import reach_over

REACH = reach_over(Episode)
