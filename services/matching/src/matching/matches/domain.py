"""Matching rules: who may support whom, and who is the best of the eligible mentors; the policy
that decides (weights, review, aftercare continuation)."""

import math
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from matching.pool.domain import ACTIVE, on_leave

COORDINATOR, SUPERVISOR = "coordinator", "supervisor"
AGE_BANDS = ("18-25", "26-35", "36-50", "51-65", "65+")
THEMSELVES = "the mentor is the patient themselves"
MENTOR_ADMITTED = "the mentor is admitted"
CRITERIA = (
    "continuity",
    "in_person",
    "load_balance",
    "lived_experience",
    "interests",
    "age_band",
    "crisis_cover",
)
# A clinician's risk assessment: high needs a mentor with valid crisis-response certification
# (and their supervisor's sign-off); medium prefers one (the crisis_cover criterion); low (the
# default, also when nobody assessed the patient) asks nothing.
RISK_LEVELS = ("low", "medium", "high")
LOW, MEDIUM, HIGH = RISK_LEVELS


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
    gender: str | None = None
    age_band: str | None = None
    lived_experience: frozenset[str] = frozenset()
    interests: frozenset[str] = frozenset()
    crisis_certified_until: date | None = None  # the crisis-response certification's expiry
    supervisor_id: str | None = None
    leave: tuple[date, date] | None = None  # first and last day of a dated leave


@dataclass(frozen=True)
class Need:
    """What a patient needs from a mentor: hard (language, branch, the gender they asked for,
    crisis cover when high-risk) and soft (lived experience, interests, age band, crisis cover
    when medium-risk)."""

    branch: str
    language: str
    patient_ref: str = ""
    mentor_gender: str | None = None
    risk: str = LOW
    lived_experience: frozenset[str] = frozenset()
    interests: frozenset[str] = frozenset()
    age_band: str | None = None

    @property
    def high_risk(self) -> bool:
        """Crisis cover is a hard constraint (and the mentor's supervisor signs the match off)."""
        return self.risk == HIGH

    @property
    def hard_key(self) -> tuple[str, str, str | None, str]:
        """Patients with the same key have the same eligible mentors (before exclusions) and
        score them alike unless they have preferences of their own."""
        return (self.branch, self.language, self.mentor_gender, self.risk)

    @property
    def has_soft_preferences(self) -> bool:
        """Whether the patient's own preferences change how mentors score."""
        return bool(self.lived_experience or self.interests or self.age_band)


def new_match_id() -> str:
    """A random match id."""
    return f"mt_{secrets.token_hex(10)}"


def wants_support(episode_status: str | None, consent_status: str | None) -> bool:
    """An admitted patient who consented is supported; anyone else must not be contacted."""
    return episode_status == "admitted" and consent_status == "given"


def is_eligible(mentor: MentorProfile, need: Need, today: date) -> bool:
    """Hard constraints: active and not on a dated leave today, core certifications valid, has
    room, and fits the patient (see `unfit_reason`). Exclusions and conflicts of interest are
    checked by the caller."""
    return (
        mentor.status == ACTIVE
        and not on_leave(mentor.leave, today)
        and mentor.certified_until is not None
        and mentor.certified_until >= today
        and mentor.active_mentees < mentor.capacity
        and unfit_reason(mentor, need, today) is None
    )


def unfit_reason(mentor: MentorProfile, need: Need, today: date) -> str | None:
    """Why this mentor cannot support this patient whatever their load (None if they can):
    the patient's language, branch, gender preference and, when high-risk, crisis cover."""
    if need.language not in mentor.languages:
        return "the mentor does not speak the patient's language"
    if not still_serves(mentor, need.branch):
        return "transferred to a branch the mentor does not serve"
    if need.mentor_gender is not None and mentor.gender != need.mentor_gender:
        return "the patient asked for a mentor of another gender"
    if need.high_risk and not crisis_certified(mentor, today):
        return "the patient is high-risk and the mentor is not certified in crisis response"
    if need.high_risk and mentor.supervisor_id is None:
        return "the patient is high-risk and the mentor has no supervisor to sign the match off"
    return None


def crisis_certified(mentor: MentorProfile, today: date) -> bool:
    """Whether the mentor holds a valid crisis-response certification today."""
    return mentor.crisis_certified_until is not None and mentor.crisis_certified_until >= today


def still_serves(mentor: MentorProfile, branch: str) -> bool:
    """Whether a mentor can support a patient at `branch`: in person, or remotely."""
    return branch in mentor.branches or mentor.remote_ok


@dataclass(frozen=True)
class Weights:
    """How much each soft criterion counts (each criterion scores 0 to 1)."""

    continuity: float = 3.0  # the mentor who supported this patient in an earlier episode
    in_person: float = 2.0  # serves the patient's branch in person, not only remotely
    load_balance: float = 1.0  # share of the mentor's places still free
    lived_experience: float = 2.0  # share of the patient's chosen areas the mentor lived
    interests: float = 0.5  # share of the patient's interests the mentor shares
    age_band: float = 0.5  # same age band 1, the next band 0.5
    crisis_cover: float = 2.0  # a medium-risk patient: the mentor's crisis certification is valid


@dataclass(frozen=True)
class Policy:
    """How matching decides: the weights (per branch), which certification covers crises, and
    how long a mentor's own stay on a ward keeps them from mentoring there."""

    weights: Weights = Weights()
    branch_weights: Mapping[str, Weights] = field(default_factory=dict)
    crisis_certification: str = "crisis_response"
    same_ward_window_days: int = 365
    review_branches: frozenset[str] = frozenset()
    review_deadline: timedelta = timedelta(hours=4)
    fairness: float = 6.0  # bonus for a branch's first patient matched from the waitlist
    continue_into_aftercare: bool = False
    branch_continue_into_aftercare: Mapping[str, bool] = field(default_factory=dict)
    aftercare_continuation: timedelta = timedelta(days=90)
    ending_dispositions: frozenset[str] = frozenset()

    def weights_for(self, branch: str) -> Weights:
        """The branch's own weights, else the network's."""
        return self.branch_weights.get(branch, self.weights)

    def continues_after_discharge(self, branch: str, disposition: str | None) -> bool:
        """Whether a match goes on into aftercare when the patient is discharged: where the
        branch (or the network) says so, unless the disposition ends it (death, transfer to
        another inpatient facility, left against advice …)."""
        wanted = self.branch_continue_into_aftercare.get(branch, self.continue_into_aftercare)
        return wanted and (disposition or "").lower() not in self.ending_dispositions

    def approvals_needed(self, branch: str, high_risk: bool) -> list[str]:
        """Who must approve a match before it is made: a coordinator where the branch reviews
        matches, the mentor's supervisor for a high-risk patient; nobody otherwise."""
        needed = []
        if branch in self.review_branches:
            needed.append(COORDINATOR)
        if high_risk:
            needed.append(SUPERVISOR)
        return needed


@dataclass(frozen=True)
class Scored:
    """An eligible mentor with the score of each criterion and the weighted total."""

    mentor: MentorProfile
    criteria: dict[str, float]
    total: float


def round4(value: float) -> float:
    """Round half up to four decimals, the same way the vectorised scorer does (so both give
    bit-identical scores)."""
    return math.floor(value * 10_000 + 0.5) / 10_000


def _share(wanted: frozenset[str], offered: frozenset[str]) -> float:
    return round4(len(wanted & offered) / len(wanted)) if wanted else 0.0


def age_closeness(patient: str | None, mentor: str | None) -> float:
    """1 for the same age band, 0.5 for the next one, else 0 (and 0 when either is unknown)."""
    if patient not in AGE_BANDS or mentor not in AGE_BANDS:
        return 0.0
    apart = abs(AGE_BANDS.index(patient) - AGE_BANDS.index(mentor))
    return {0: 1.0, 1: 0.5}.get(apart, 0.0)


def score(
    mentor: MentorProfile,
    need: Need,
    previous_mentors: frozenset[str],
    weights: Weights,
    today: date,
) -> Scored:
    """The soft score of an eligible mentor for a patient, criterion by criterion (each 0-1)."""
    criteria = {
        "continuity": 1.0 if mentor.mentor_id in previous_mentors else 0.0,
        "in_person": 1.0 if need.branch in mentor.branches else 0.0,
        "load_balance": (
            round4((mentor.capacity - mentor.active_mentees) / mentor.capacity)
            if mentor.capacity
            else 0.0
        ),
        "lived_experience": _share(need.lived_experience, mentor.lived_experience),
        "interests": _share(need.interests, mentor.interests),
        "age_band": age_closeness(need.age_band, mentor.age_band),
        "crisis_cover": 1.0 if need.risk == MEDIUM and crisis_certified(mentor, today) else 0.0,
    }
    total = sum(getattr(weights, name) * value for name, value in criteria.items())
    return Scored(mentor, criteria, round4(total))


def best_first(
    mentors: list[MentorProfile],
    need: Need,
    previous_mentors: frozenset[str],
    weights: Weights,
    today: date,
) -> list[Scored]:
    """Eligible mentors scored and ordered: highest total first, then mentor id (stable)."""
    scored = [score(m, need, previous_mentors, weights, today) for m in mentors]
    return sorted(scored, key=lambda s: (-s.total, s.mentor.mentor_id))


def explanation(chosen: Scored, others: list[Scored], weights: Weights) -> dict[str, object]:
    """Why this mentor, and who came next: stored with the match for coordinators."""
    return {
        "weights": {name: getattr(weights, name) for name in CRITERIA},
        "chosen": {"mentor_id": chosen.mentor.mentor_id, "total": chosen.total, **chosen.criteria},
        "runners_up": [
            {"mentor_id": s.mentor.mentor_id, "total": s.total, **s.criteria} for s in others[:3]
        ],
    }
