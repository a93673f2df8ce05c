"""Pool rules: a mentor's status and dated leave, when their core certifications lapse, what a
supervisor must act on, whether an active mentor may stay active, and supervision loads. Pure
rules, no I/O."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

ACTIVE = "active"
MENTOR_STATUSES = ("trainee", "active", "on_leave", "suspended", "retired")


@dataclass(frozen=True)
class PoolOptions:
    """The settings the pool needs: the core certifications every active mentor holds, the one
    that covers crises, how early supervisors hear of an expiry, and the supervision ratio."""

    core_certifications: tuple[str, ...]
    crisis_certification: str
    certification_notice_days: int
    max_mentors_per_supervisor: int


def on_leave(leave: tuple[date, date] | None, today: date) -> bool:
    """Whether a dated leave (first and last day, both included) covers today."""
    return leave is not None and leave[0] <= today <= leave[1]


def announced_status(status: str, leave: tuple[date, date] | None, today: date) -> str:
    """The status other services see: an active mentor on a dated leave is `on_leave`."""
    return "on_leave" if status == ACTIVE and on_leave(leave, today) else status


def certified_until(expiries: Mapping[str, date], core: Sequence[str]) -> date | None:
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
    mentor_id: str, expiries: Mapping[str, date], core: Sequence[str], today: date, notice_days: int
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
    status: str, expiries: Mapping[str, date], core: Sequence[str], today: date
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


def in_notice_window(expires_on: date, today: date, notice_days: int) -> bool:
    """Whether a certification still valid today lapses within the notice window."""
    return today <= expires_on <= today + timedelta(days=notice_days)


def crossing(was_over: bool, mentors: int, ratio: int) -> str | None:
    """`over` when a supervisor goes over the ratio, `under` when they come back within it,
    None when nothing changed (staying over is not news)."""
    over = mentors > ratio
    if over == was_over:
        return None
    return "over" if over else "under"
