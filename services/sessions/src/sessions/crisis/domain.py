"""Crisis escalation rules (pure): who is alerted, and when it moves on if nobody answers."""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from shared.errors import Conflict, Forbidden


@dataclass(frozen=True)
class OnDuty:
    """One link of a branch's duty chain: clinicians on duty in order, then a supervisor, then
    the branch lead."""

    person_id: str
    role: str


def new_crisis_id() -> str:
    """A random crisis id."""
    return f"cr_{secrets.token_hex(10)}"


def alerted(chain: list[OnDuty], level: int) -> OnDuty | None:
    """Who is alerted at `level`: the chain in order, then its last link again and again (a
    crisis keeps alerting the branch lead until someone acknowledges it)."""
    if not chain:
        return None
    return chain[min(level, len(chain) - 1)]


def deadline(now: datetime, ack_within: timedelta) -> datetime:
    """When an alert sent now escalates unless acknowledged."""
    return now + ack_within


def check_can_acknowledge(status: str, person_id: str, alerted_so_far: set[str]) -> None:
    """Anyone alerted so far may acknowledge an open crisis; nobody else."""
    if status != "open":
        raise Conflict(f"the crisis is {status}; only an open crisis can be acknowledged")
    if person_id not in alerted_so_far:
        raise Forbidden("only someone on the branch's duty chain who was alerted can acknowledge")


def check_can_resolve(status: str, person_id: str, on_chain: set[str]) -> None:
    """Someone alerted or on the chain on duty resolves a crisis that is not resolved yet."""
    if status == "resolved":
        raise Conflict("the crisis is already resolved")
    if person_id not in on_chain:
        raise Forbidden("only someone on the branch's duty chain can resolve the crisis")
