"""Prometheus metrics of delivery (labels carry channels only: no people, no addresses)."""

from prometheus_client import Counter

SENDS = Counter(
    "saathi_notify_sends_total", "Sends handed to a channel, by outcome", ["channel", "outcome"]
)
FAILED = Counter(
    "saathi_notify_deliveries_failed_total",
    "Deliveries given up after the last attempt (reported for a human to look at)",
    ["channel"],
)
