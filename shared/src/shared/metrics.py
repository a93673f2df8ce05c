"""Prometheus metrics of the event backbone (labels carry no patient data)."""

from prometheus_client import Counter, Gauge, Histogram

EVENTS_PUBLISHED = Counter(
    "saathi_events_published_total", "Outbox events published to JetStream", ["service", "subject"]
)
EVENTS_CONSUMED = Counter(
    "saathi_events_consumed_total",
    "Events handled by a consumer, by outcome",
    ["consumer", "subject", "outcome"],
)
EVENTS_DEAD_LETTERED = Counter(
    "saathi_events_dead_lettered_total", "Events sent to the dead-letter stream", ["consumer"]
)
OUTBOX_PENDING = Gauge("saathi_outbox_pending", "Outbox rows not yet published", ["service"])
BATCH_SECONDS = Histogram(
    "saathi_consumer_batch_seconds",
    "Time to apply one batch of events in one transaction",
    ["consumer"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)
