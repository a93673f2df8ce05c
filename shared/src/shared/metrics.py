"""Prometheus metrics of the event backbone and HTTP (labels carry no patient data)."""

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
OUTBOX_OLDEST_AGE = Gauge(
    "saathi_outbox_oldest_age_seconds",
    "Age of the oldest outbox row not yet published (0 when none waits)",
    ["service"],
)
BATCH_SECONDS = Histogram(
    "saathi_consumer_batch_seconds",
    "Time to apply one batch of events in one transaction",
    ["consumer"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)
CONSUMER_PENDING = Gauge(
    "saathi_consumer_pending_messages",
    "Messages in the stream that the durable consumer has not been delivered yet (its lag)",
    ["consumer"],
)
CONSUMER_ACK_PENDING = Gauge(
    "saathi_consumer_ack_pending_messages",
    "Messages delivered to the durable consumer and not acknowledged yet",
    ["consumer"],
)
HTTP_REQUESTS = Counter(
    "saathi_http_requests_total",
    "HTTP requests answered, by route template and status code",
    ["service", "method", "route", "status"],
)
HTTP_SECONDS = Histogram(
    "saathi_http_request_duration_seconds",
    "Time from an HTTP request to its response starting (a live stream counts to its start)",
    ["service", "method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
READINESS_CHECK = Gauge(
    "saathi_readiness_check_ok",
    "1 when a readiness check passed at the last /readyz, 0 when it failed (database, broker, "
    "outbox, listener:<name>, consumer:<durable>)",
    ["service", "check"],
)
