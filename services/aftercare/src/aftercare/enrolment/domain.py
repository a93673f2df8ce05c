"""Enrolment rules: who is enrolled at discharge, which outpatient group fits them best, why
an enrolment ends, and which admission counts as a readmission."""

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class GroupSeat:
    """What choosing a group needs to know about an outpatient group."""

    group_id: str
    branch: str
    language: str
    focus: str
    capacity: int
    enrolled: int
    weekday: int
    facilitator_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Wish:
    """What the choice is for: the patient's language, the branch nearest their home (the
    discharging branch unless a coordinator recorded another), the focus they asked for, and
    the mentor who goes on with them after discharge, if any."""

    language: str
    home_branch: str
    focus: tuple[str, ...] = ()
    mentor_id: str | None = None


def new_enrolment_id() -> str:
    """A random enrolment id."""
    return f"en_{secrets.token_hex(10)}"


def wants_enrolment(
    episode_status: str | None,
    consent_status: str | None,
    disposition: str | None = None,
    excluded_dispositions: frozenset[str] = frozenset(),
) -> bool:
    """A discharged patient who consented is enrolled, with nobody pressing a button, unless
    the discharge disposition rules it out (died, moved to another inpatient facility, left
    against advice …)."""
    if disposition is not None and disposition.lower() in excluded_dispositions:
        return False
    return episode_status == "discharged" and consent_status == "given"


def known_branches(distances: Mapping[str, Mapping[str, float]]) -> set[str]:
    """Every branch the configured distances name."""
    return set(distances) | {branch for far in distances.values() for branch in far}


def distance_km(distances: Mapping[str, Mapping[str, float]], a: str, b: str) -> float | None:
    """Configured distance between two branches, either way round (0 for the same branch;
    None when not configured)."""
    if a == b:
        return 0.0
    found = distances.get(a, {}).get(b)
    return found if found is not None else distances.get(b, {}).get(a)


def days_until(weekday: int, today: date) -> int:
    """Days from `today` to the next meeting on `weekday` (0 = Monday; today counts)."""
    return (weekday - today.weekday()) % 7


def best_group(
    groups: list[GroupSeat],
    wish: Wish,
    distances: Mapping[str, Mapping[str, float]],
    max_travel_km: float,
    today: date,
) -> GroupSeat | None:
    """The fitting group: the patient's language, a free place, within reach of home. Among
    those: the one their continuing mentor facilitates, then the focus they asked for, then
    the nearest, the soonest meeting, the most free places (the id breaks ties)."""

    def reach(group: GroupSeat) -> float | None:
        return distance_km(distances, wish.home_branch, group.branch)

    fitting = [
        g
        for g in groups
        if g.language == wish.language
        and g.enrolled < g.capacity
        and (km := reach(g)) is not None
        and km <= max_travel_km
    ]

    def rank(group: GroupSeat) -> tuple[bool, bool, float, int, int, str]:
        return (
            wish.mentor_id not in group.facilitator_ids,
            bool(wish.focus) and group.focus not in wish.focus,
            reach(group) or 0.0,
            days_until(group.weekday, today),
            group.enrolled - group.capacity,
            group.group_id,
        )

    return min(fitting, key=rank, default=None)


DROPPED_OUT = "dropped out: "


def dropped_out(reason: str | None) -> bool:
    """Whether an enrolment ended because the patient stopped coming."""
    return reason is not None and reason.startswith(DROPPED_OUT)


def cancel_reason(episode_status: str | None, consent_status: str | None) -> str:
    """Why an enrolment no longer stands."""
    if episode_status == "admitted":
        return "discharge cancelled"
    if episode_status == "cancelled":
        return "admission cancelled"
    if consent_status == "declined":
        return "consent declined"
    if consent_status != "given":
        return "consent withdrawn"
    return "no longer discharged"


def readmission_days(
    discharged_at: datetime, admitted_at: datetime, window_days: int
) -> int | None:
    """Whole days from a discharge to a later admission, if within the window."""
    if admitted_at < discharged_at:
        return None
    days = (admitted_at - discharged_at).days
    return days if days <= window_days else None
