"""Certification rules: when a mentor's core certifications lapse, what a supervisor must act
on, and whether an active mentor may stay active. Pure rules, no I/O."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from matching.domain import ACTIVE


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
