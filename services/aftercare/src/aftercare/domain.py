"""Aftercare rules: who is enrolled, and which group fits."""

import secrets
from dataclasses import dataclass


@dataclass(frozen=True)
class GroupSeat:
    """What enrolment needs to know about a group."""

    group_id: str
    branch: str
    language: str
    capacity: int
    enrolled: int


def new_enrolment_id() -> str:
    """A random enrolment id."""
    return f"en_{secrets.token_hex(10)}"


def new_group_id() -> str:
    """A random group id."""
    return f"gr_{secrets.token_hex(8)}"


def wants_enrolment(episode_status: str | None, consent_status: str | None) -> bool:
    """A discharged patient who consented is enrolled, with nobody pressing a button."""
    return episode_status == "discharged" and consent_status == "given"


def fits(group: GroupSeat, branch: str, language: str) -> bool:
    """Same branch and language, and a free seat."""
    return group.branch == branch and group.language == language and group.enrolled < group.capacity


def best_group(groups: list[GroupSeat], branch: str, language: str) -> GroupSeat | None:
    """The fitting group with the most free seats (ties: the group id, for stable answers)."""
    fitting = [g for g in groups if fits(g, branch, language)]
    return min(fitting, key=lambda g: (g.enrolled - g.capacity, g.group_id), default=None)


def cancel_reason(episode_status: str | None, consent_status: str | None) -> str:
    """Why an enrolment no longer stands."""
    if episode_status == "admitted":
        return "discharge cancelled"
    if episode_status == "cancelled":
        return "admission cancelled"
    if consent_status != "given":
        return "consent withdrawn"
    return "no longer discharged"
