"""Pure rules of the directory: who an alert is for, on which channels, and when."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

ROLES = ("clinician", "coordinator", "supervisor", "mentor", "branch_lead", "ops")
KINDS = (
    "crisis",
    "proposal",
    "coordinator_task",
    "outreach",
    "dead_letter",
    "certification",
    "supervision",
    "wellbeing",
)
EXTERNAL_CHANNELS = ("email", "sms")
CONSOLE = "console"


@dataclass(frozen=True)
class Contact:
    """What routing needs of a person (no names; addresses stay inside notify)."""

    person_id: str
    roles: frozenset[str]
    branches: frozenset[str]  # empty: every branch
    email: str | None
    phone: str | None
    timezone: str
    channels: dict[str, list[str]]
    quiet_start: str | None
    quiet_end: str | None
    language: str = "en"  # of the texts the person receives

    def serves(self, branch: str | None) -> bool:
        """Whether the person works at `branch` (network-wide people serve every branch)."""
        return not self.branches or branch is None or branch in self.branches

    def address(self, channel: str) -> str | None:
        """The person's address on an external channel."""
        return self.email if channel == "email" else self.phone if channel == "sms" else None


def recipients(
    people: Iterable[Contact], roles: Sequence[str], branch: str | None
) -> list[Contact]:
    """People in one of `roles` at `branch`; network-wide people in those roles only when
    the branch has nobody (or the alert belongs to no branch)."""
    holders = sorted((p for p in people if p.roles & set(roles)), key=lambda p: p.person_id)
    if branch is not None:
        at_branch = [p for p in holders if branch in p.branches]
        if at_branch:
            return at_branch
    return [p for p in holders if not p.branches]


def network_coordinators(people: Iterable[Contact]) -> list[Contact]:
    """The network-wide coordinators: who takes an alert nobody else matches."""
    return sorted(
        (p for p in people if "coordinator" in p.roles and not p.branches),
        key=lambda p: p.person_id,
    )


def channels_for(person: Contact | None, kind: str) -> list[str]:
    """The console always; a crisis on every channel the person has an address for; other
    kinds on the external channels the person chose for them."""
    if person is None:
        return [CONSOLE]
    wanted = EXTERNAL_CHANNELS if kind == "crisis" else person.channels.get(kind, [])
    return [CONSOLE, *(c for c in EXTERNAL_CHANNELS if c in wanted and person.address(c))]


def _clock(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def quiet_until(person: Contact, kind: str, now: datetime) -> datetime | None:
    """When the person's quiet hours end, if `now` falls inside them (never for a crisis)."""
    if kind == "crisis" or not person.quiet_start or not person.quiet_end:
        return None
    zone = ZoneInfo(person.timezone)
    local = now.astimezone(zone)
    start, end = _clock(person.quiet_start), _clock(person.quiet_end)
    at = local.time()
    inside = start <= at < end if start <= end else (at >= start or at < end)
    if not inside:
        return None
    ends = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if ends <= local:
        ends += timedelta(days=1)
    return ends.astimezone(now.tzinfo)
