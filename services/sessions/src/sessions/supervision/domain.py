"""Supervision rules (pure): what a supervisor watches of a mentor, and over which windows."""

from dataclasses import dataclass
from datetime import timedelta

RECENT = timedelta(days=30)
AHEAD = timedelta(days=7)


@dataclass(frozen=True)
class MentorLoad:
    """What a supervisor watches: caseload, sessions ahead, recent completed and missed
    sessions, notes not yet reviewed, and the latest wellbeing check."""

    mentor_id: str
    active_mentees: int
    sessions_next_7_days: int
    completed_last_30_days: int
    missed_last_30_days: int
    notes_to_review: int
    latest_wellbeing: int | None
    wants_support: bool
