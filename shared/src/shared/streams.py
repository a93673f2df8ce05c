"""JetStream topology, declared once: one stream per producing service plus dead letters."""

from dataclasses import dataclass

from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError

DUPLICATE_WINDOW_S = 600.0
DEAD_LETTER_STREAM = "SAATHI_DEADLETTER"
DEAD_LETTER_PREFIX = "deadletter"


@dataclass(frozen=True)
class StreamSpec:
    """A stream and the subjects it captures."""

    name: str
    subjects: tuple[str, ...]
    max_age_days: float = 30.0


STREAMS: tuple[StreamSpec, ...] = (
    StreamSpec("SAATHI_INTAKE", ("intake.>",)),
    StreamSpec("SAATHI_MATCHING", ("matching.>",)),
    StreamSpec("SAATHI_SESSIONS", ("sessions.>",)),
    StreamSpec("SAATHI_AFTERCARE", ("aftercare.>",)),
    StreamSpec("SAATHI_NOTIFY", ("notify.>",)),
    StreamSpec(DEAD_LETTER_STREAM, (f"{DEAD_LETTER_PREFIX}.>",), max_age_days=365.0),
)


def stream_for(subject: str) -> str:
    """Name of the stream that captures a subject."""
    prefix = subject.split(".", 1)[0]
    for spec in STREAMS:
        if any(pattern.split(".", 1)[0] == prefix for pattern in spec.subjects):
            return spec.name
    raise KeyError(f"no stream captures subject {subject!r}")


def stream_config(spec: StreamSpec, replicas: int) -> StreamConfig:
    """File-backed, limits-retention stream with an explicit duplicate window."""
    return StreamConfig(
        name=spec.name,
        subjects=list(spec.subjects),
        storage=StorageType.FILE,
        retention=RetentionPolicy.LIMITS,
        discard=DiscardPolicy.OLD,
        num_replicas=replicas,
        duplicate_window=DUPLICATE_WINDOW_S,
        max_age=spec.max_age_days * 86_400,
    )


async def ensure_streams(js: JetStreamContext, replicas: int = 1) -> None:
    """Create or update every stream of the topology (idempotent)."""
    for spec in STREAMS:
        config = stream_config(spec, replicas)
        try:
            await js.stream_info(spec.name)
        except NotFoundError:
            await js.add_stream(config)
        else:
            await js.update_stream(config)


async def missing_streams(js: JetStreamContext) -> list[str]:
    """Streams of the topology that NATS does not have (for services that may not create them)."""
    missing = []
    for spec in STREAMS:
        try:
            await js.stream_info(spec.name)
        except NotFoundError:
            missing.append(spec.name)
    return missing
