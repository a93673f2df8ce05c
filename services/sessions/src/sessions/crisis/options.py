"""What crisis escalation needs of the service's settings (read once, in `sessions.app`)."""

from dataclasses import dataclass

from shared.clock import Clock


@dataclass(frozen=True)
class CrisisOptions:
    """How long the person alerted has to acknowledge (by severity), who is alerted where a
    branch has no roster, the branches served, and how often deadlines are checked."""

    clock: Clock
    ack_deadline_s: float
    ack_deadline_by_severity: dict[str, float]
    fallback_duty_chain: list[dict[str, str]]
    branches: list[str]
    check_interval_s: float
