"""The catalogue as a readable page (docs/events/catalogue.md), from the same model as the
AsyncAPI document."""

from itertools import groupby

from saathi_stack.asyncapi.model import Catalogue, Channel, Consumer

HEADER = """# Event catalogue

<!-- Generated from the code by `uv run saathi asyncapi`: do not edit by hand. -->

Every event the services exchange over NATS JetStream. A service publishes only under its own
subject prefix, into its own stream, through its transactional outbox; a consumer is a durable
JetStream consumer that applies each event once and dead-letters what it cannot apply. The
machine-readable form is [asyncapi.yaml](asyncapi.yaml) (AsyncAPI 3.0); each contract's JSON
Schema (the whole envelope, `data` included) is linked from its row.
"""


def schema_path(subject: str) -> str:
    """Where a contract's JSON Schema is written, relative to docs/events/."""
    return f"schemas/{subject}.json"


def render_catalogue(catalogue: Catalogue) -> str:
    """The whole page."""
    lines = [HEADER]
    by_producer = groupby(
        sorted(catalogue.channels, key=lambda c: (c.producer, c.subject)), lambda c: c.producer
    )
    for producer, channels in by_producer:
        listed = list(channels)
        lines += [
            f"## Published by {producer}",
            "",
            f"Stream `{listed[0].stream}`.",
            "",
            "| subject | contract | version | producer | consumers | description | schema |",
            "|---|---|---|---|---|---|---|",
        ]
        lines += [_event_row(channel) for channel in listed]
        lines.append("")
    lines += _consumers_section(catalogue)
    lines += _dead_letter_section(catalogue)
    return "\n".join(lines)


def _event_row(channel: Channel) -> str:
    consumers = "<br>".join(_consumer(consumer) for consumer in channel.consumers) or "—"
    cells = (
        f"`{channel.subject}`",
        channel.contract.__name__,
        str(channel.version),
        channel.producer,
        consumers,
        _cell(channel.description),
        f"[JSON Schema]({schema_path(channel.subject)})",
    )
    return "| " + " | ".join(cells) + " |"


def _consumer(consumer: Consumer) -> str:
    return f"{consumer.service} (`{consumer.durable}`)"


def _consumers_section(catalogue: Catalogue) -> list[str]:
    applied: dict[Consumer, list[str]] = {}
    for channel in catalogue.channels:
        for consumer in channel.consumers:
            applied.setdefault(consumer, []).append(channel.subject)
    lines = [
        "## Durable consumers",
        "",
        "| service | durable consumer | stream | filter subject | events applied |",
        "|---|---|---|---|---|",
    ]
    for consumer in sorted(applied, key=lambda c: (c.service, c.durable)):
        subjects = "<br>".join(f"`{subject}`" for subject in applied[consumer])
        lines.append(
            f"| {consumer.service} | `{consumer.durable}` | `{consumer.stream}` "
            f"| `{consumer.filter_subject}` | {subjects} |"
        )
    return [*lines, ""]


def _dead_letter_section(catalogue: Catalogue) -> list[str]:
    lines = [
        "## Dead letters",
        "",
        f"Stream `{catalogue.dead_letter_stream}`. A consumer's undeliverable messages are "
        "copied here with the reason in headers; ops list and replay them with "
        "`saathi-deadletters`.",
        "",
        "| subject | published by | from consumer |",
        "|---|---|---|",
    ]
    for dead_letter in catalogue.dead_letters:
        consumer = dead_letter.consumer
        lines.append(f"| `{dead_letter.subject}` | {consumer.service} | `{consumer.durable}` |")
    return [*lines, ""]


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|") or "—"
