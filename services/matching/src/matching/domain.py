"""Matching rules: who may support whom, and who is the best of the eligible mentors."""

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

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
    certified_until: date | None
    remote_ok: bool = False


@dataclass(frozen=True)
class Need:
    """What a patient needs from a mentor."""

    branch: str
    language: str
    patient_ref: str = ""


def new_match_id() -> str:
    """A random match id."""
    return f"mt_{secrets.token_hex(10)}"


def wants_support(episode_status: str | None, consent_status: str | None) -> bool:
    """An admitted patient who consented is supported; anyone else must not be contacted."""
    return episode_status == "admitted" and consent_status == "given"


def is_eligible(mentor: MentorProfile, need: Need, today: date) -> bool:
    """Hard constraints: active, core certifications valid, shares a language, serves the
    branch (in person, or remotely if they offer it), has room."""
    return (
        mentor.status == ACTIVE
        and mentor.certified_until is not None
        and mentor.certified_until >= today
        and need.language in mentor.languages
        and still_serves(mentor, need.branch)
        and mentor.active_mentees < mentor.capacity
    )


def certified_until(expiries: Mapping[str, date], core: list[str]) -> date | None:
    """The day the first core certification lapses; None while one is missing."""
    if any(kind not in expiries for kind in core):
        return None
    return min(expiries[kind] for kind in core)


@dataclass(frozen=True)
class CertificationNotice:
    """A core certification that is missing, has lapsed, or lapses within the notice window."""

    mentor_id: str
    kind: str
    expires_on: date | None
    state: str  # "missing", "expired" or "expires_soon"


def certification_notices(
    mentor_id: str, expiries: Mapping[str, date], core: list[str], today: date, notice_days: int
) -> list[CertificationNotice]:
    """What a supervisor should act on for one mentor, soonest first."""
    notices = []
    for kind in core:
        expires = expiries.get(kind)
        if expires is None:
            notices.append(CertificationNotice(mentor_id, kind, None, "missing"))
        elif expires < today:
            notices.append(CertificationNotice(mentor_id, kind, expires, "expired"))
        elif expires <= today + timedelta(days=notice_days):
            notices.append(CertificationNotice(mentor_id, kind, expires, "expires_soon"))
    return sorted(notices, key=lambda n: (n.expires_on or date.min, n.kind))


def check_active_certifications(
    status: str, expiries: Mapping[str, date], core: list[str], today: date
) -> str | None:
    """Why an active mentor cannot be active (None if they can): core certifications
    must all be present and valid."""
    if status != ACTIVE:
        return None
    missing = [kind for kind in core if kind not in expiries]
    lapsed = [kind for kind in core if kind in expiries and expiries[kind] < today]
    if not missing and not lapsed:
        return None
    parts = []
    if missing:
        parts.append(f"missing {', '.join(missing)}")
    if lapsed:
        parts.append(f"expired {', '.join(lapsed)}")
    return f"an active mentor needs valid core certifications ({'; '.join(parts)})"


def rank(candidates: list[MentorProfile], branch: str | None = None) -> list[MentorProfile]:
    """Best first: in person at the patient's branch before remote, then most free places
    (spreads the load), then fewest mentees, then id (stable)."""
    return sorted(
        candidates,
        key=lambda m: (
            branch is not None and branch not in m.branches,
            -(m.capacity - m.active_mentees),
            m.active_mentees,
            m.mentor_id,
        ),
    )


def still_serves(mentor: MentorProfile, branch: str) -> bool:
    """Whether a mentor can support a patient at `branch`: in person, or remotely."""
    return branch in mentor.branches or mentor.remote_ok


@dataclass(frozen=True)
class Weights:
    """How much each soft criterion counts (each criterion scores 0 to 1)."""

    continuity: float = 3.0  # the mentor who supported this patient in an earlier episode
    in_person: float = 2.0  # serves the patient's branch in person, not only remotely
    load_balance: float = 1.0  # share of the mentor's places still free


@dataclass(frozen=True)
class Policy:
    """How matching decides: how many eligible mentors it scores, with which weights."""

    candidates: int = 20
    weights: Weights = Weights()
    branch_weights: Mapping[str, Weights] = field(default_factory=dict)

    def weights_for(self, branch: str) -> Weights:
        """The branch's own weights, else the network's."""
        return self.branch_weights.get(branch, self.weights)


@dataclass(frozen=True)
class Scored:
    """An eligible mentor with the score of each criterion and the weighted total."""

    mentor: MentorProfile
    criteria: dict[str, float]
    total: float


def score(
    mentor: MentorProfile, branch: str, previous_mentors: frozenset[str], weights: Weights
) -> Scored:
    """The soft score of an eligible mentor for a patient at `branch`, criterion by criterion."""
    criteria = {
        "continuity": 1.0 if mentor.mentor_id in previous_mentors else 0.0,
        "in_person": 1.0 if branch in mentor.branches else 0.0,
        "load_balance": (
            round((mentor.capacity - mentor.active_mentees) / mentor.capacity, 4)
            if mentor.capacity
            else 0.0
        ),
    }
    total = sum(getattr(weights, name) * value for name, value in criteria.items())
    return Scored(mentor, criteria, round(total, 4))


def best_first(
    mentors: list[MentorProfile], branch: str, previous_mentors: frozenset[str], weights: Weights
) -> list[Scored]:
    """Eligible mentors scored and ordered: highest total first, then mentor id (stable)."""
    scored = [score(m, branch, previous_mentors, weights) for m in mentors]
    return sorted(scored, key=lambda s: (-s.total, s.mentor.mentor_id))


def explanation(chosen: Scored, others: list[Scored], weights: Weights) -> dict[str, object]:
    """Why this mentor, and who came next: stored with the match for coordinators."""
    return {
        "weights": {
            name: getattr(weights, name) for name in ("continuity", "in_person", "load_balance")
        },
        "chosen": {"mentor_id": chosen.mentor.mentor_id, "total": chosen.total, **chosen.criteria},
        "runners_up": [
            {"mentor_id": s.mentor.mentor_id, "total": s.total, **s.criteria} for s in others[:3]
        ],
    }


@dataclass(frozen=True)
class SupervisionLoad:
    """How many mentors a supervisor oversees, against the configured maximum."""

    supervisor_id: str
    mentors: int
    limit: int

    @property
    def over_limit(self) -> bool:
        """More mentors than one supervisor should carry."""
        return self.mentors > self.limit
