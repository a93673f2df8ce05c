"""What crisis escalation needs of the service's settings (read once, in `sessions.app`)."""

from dataclasses import dataclass

from sessions.crisis.shifts import Roster
from shared.clock import Clock


@dataclass(frozen=True)
class CrisisOptions:
    """How long the person alerted has to acknowledge (by severity), the network on-call
    (from the setting; a roster PUT for `network` replaces it), the zone of a roster that names
    none, the branches served, and how often deadlines are checked."""

    clock: Clock
    ack_deadline_s: float
    ack_deadline_by_severity: dict[str, float]
    network_on_call: Roster | None
    branch_timezone: str
    branches: list[str]
    check_interval_s: float
    setting_problem: str | None = None  # why the on-call setting is refused (at start)
