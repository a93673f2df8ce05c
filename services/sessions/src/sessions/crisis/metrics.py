"""Open crises nobody acknowledged yet, as gauges an alert can fire on (labels: branch and
severity only; no patient, no mentor, no person on duty)."""

from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime

from prometheus_client import Gauge

from sessions.crisis.handlers import ack_within
from sessions.crisis.options import CrisisOptions

UNACKNOWLEDGED = Gauge(
    "saathi_crises_unacknowledged",
    "Open crises nobody has acknowledged yet",
    ["branch", "severity"],
)
OVERDUE = Gauge(
    "saathi_crises_unacknowledged_overdue",
    "Open crises still unacknowledged after the acknowledgement deadline of their severity",
    ["branch", "severity"],
)
OLDEST_SECONDS = Gauge(
    "saathi_crises_unacknowledged_oldest_seconds",
    "How long the oldest unacknowledged crisis has waited since it was flagged (0 if none)",
    ["branch", "severity"],
)

Key = tuple[str, str]  # (branch, severity)


class OpenCrisisGauges:
    """Sets the gauges from the open crises; a (branch, severity) that had crises and has none
    now goes back to 0 rather than keeping its last value."""

    def __init__(self) -> None:
        self._seen: set[Key] = set()

    def export(
        self, open_crises: Iterable[tuple[str, str, datetime]], options: CrisisOptions
    ) -> None:
        """`open_crises`: (branch, severity, flagged_at) of each open crisis."""
        now = options.clock.now()
        count: Counter[Key] = Counter()
        overdue: Counter[Key] = Counter()
        oldest: dict[Key, float] = {}
        for branch, severity, flagged_at in open_crises:
            key = (branch, severity)
            waited = now - (flagged_at if flagged_at.tzinfo else flagged_at.replace(tzinfo=UTC))
            count[key] += 1
            overdue[key] += waited > ack_within(options, severity)
            oldest[key] = max(oldest.get(key, 0.0), waited.total_seconds())
        for key in self._seen | set(count):
            UNACKNOWLEDGED.labels(*key).set(count[key])
            OVERDUE.labels(*key).set(overdue[key])
            OLDEST_SECONDS.labels(*key).set(max(oldest.get(key, 0.0), 0.0))
        self._seen |= set(count)
