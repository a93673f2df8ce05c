"""Matching rules: who may support whom, and who is the best of the eligible mentors."""

import secrets
from dataclasses import dataclass
from datetime import date

ACTIVE = "active"
MENTOR_STATUSES = ("trainee", "active", "on_leave", "suspended", "retired")


@dataclass(frozen=True)
class MentorProfile:
    """What matching needs to know about a mentor."""

    mentor_id: str
    status: str
    languages: frozenset[str]
    branches: frozenset[str]
    capacity: int
    active_mentees: int
    certification_expires: date


@dataclass(frozen=True)
class Need:
    """What a patient needs from a mentor."""

    branch: str
    language: str


def new_match_id() -> str:
    """A random match id."""
    return f"mt_{secrets.token_hex(10)}"


def wants_support(episode_status: str | None, consent_status: str | None) -> bool:
    """An admitted patient who consented is supported; anyone else must not be contacted."""
    return episode_status == "admitted" and consent_status == "given"


def is_eligible(mentor: MentorProfile, need: Need, today: date) -> bool:
    """Hard constraints: active, certified, shares a language, serves the branch, has room."""
    return (
        mentor.status == ACTIVE
        and mentor.certification_expires >= today
        and need.language in mentor.languages
        and need.branch in mentor.branches
        and mentor.active_mentees < mentor.capacity
    )


def rank(candidates: list[MentorProfile]) -> list[MentorProfile]:
    """Best first: most free places (spreads the load), then fewest mentees, then id (stable)."""
    return sorted(
        candidates,
        key=lambda m: (-(m.capacity - m.active_mentees), m.active_mentees, m.mentor_id),
    )


def still_serves(mentor: MentorProfile, branch: str) -> bool:
    """Whether a mentor can go on supporting a patient now at `branch`."""
    return branch in mentor.branches
