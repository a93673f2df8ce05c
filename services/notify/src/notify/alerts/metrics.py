"""Prometheus metrics of alerts (labels carry kinds only: no people, no patients)."""

from prometheus_client import Counter

NOTIFICATIONS = Counter(
    "saathi_notify_notifications_total", "Notifications created, by kind", ["kind"]
)
UNMATCHED = Counter(
    "saathi_notify_unmatched_total",
    "Alerts nobody in the directory matched, so the network's coordinators took them",
    ["kind"],
)
UNHEARD = Counter(
    "saathi_notify_unheard_total",
    "Alerts that reached nobody at all (no match and no network coordinator)",
    ["kind"],
)
