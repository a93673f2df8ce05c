"""The catalogue as an AsyncAPI 3.0 document: channels are NATS subjects, messages the
contracts' JSON Schemas (envelope and headers), operations who sends and who receives."""

from typing import Any

from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from saathi_stack.asyncapi.model import Catalogue, Channel, Consumer, DeadLetterChannel
from shared import deadletters
from shared.outbox import CORRELATION_HEADER
from shared.relay import MESSAGE_ID_HEADER

ASYNCAPI_VERSION = "3.0.0"
SCHEMA_REF = "#/components/schemas/{model}"
HEADERS_SCHEMA = "EventHeaders"
DEAD_LETTER_HEADERS_SCHEMA = "DeadLetterHeaders"


def channel_id(subject: str) -> str:
    """An AsyncAPI key for a subject (keys allow letters, digits, `_` and `-`)."""
    return subject.replace(".", "_").replace(">", "all").replace("*", "any")


def message_id(channel: Channel) -> str:
    """The message's key: the contract's class name and its version."""
    return f"{channel.contract.__name__}_v{channel.version}"


def build_document(catalogue: Catalogue) -> dict[str, Any]:
    """The whole AsyncAPI document (plain data, ready to be written as YAML)."""
    schemas: dict[str, Any] = {
        HEADERS_SCHEMA: event_headers_schema(),
        DEAD_LETTER_HEADERS_SCHEMA: dead_letter_headers_schema(),
    }
    messages: dict[str, Any] = {}
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for channel in catalogue.channels:
        key = channel_id(channel.subject)
        messages[message_id(channel)] = _message(channel, schemas)
        channels[key] = _channel(channel)
        operations.update(_operations(channel, key))
    for dead_letter in catalogue.dead_letters:
        key = channel_id(dead_letter.subject)
        channels[key] = _dead_letter_channel(dead_letter, catalogue.dead_letter_stream)
        operations[f"{dead_letter.consumer.durable}_dead_letters"] = _send(
            key, "DeadLetter", dead_letter.consumer.service, "Dead-letters what it cannot apply."
        )
    messages["DeadLetter"] = _dead_letter_message()
    return {
        "asyncapi": ASYNCAPI_VERSION,
        "info": _info(),
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": dict(sorted(operations.items())),
        "components": {
            "messages": dict(sorted(messages.items())),
            "schemas": dict(sorted(schemas.items())),
        },
    }


def _info() -> dict[str, Any]:
    return {
        "title": "Saathi events",
        "version": "1.0.0",
        "description": (
            "Every event the Saathi services exchange over NATS JetStream, generated from the "
            "code by `uv run saathi asyncapi` (do not edit by hand). A channel's address is the "
            "NATS subject; each service publishes only under its own prefix, into its own "
            "stream, through its transactional outbox; each consumer is a durable JetStream "
            "consumer that applies an event once (inbox) and dead-letters what it cannot apply."
        ),
    }


def contract_schema(channel: Channel, schemas: dict[str, Any]) -> dict[str, Any]:
    """The contract's JSON Schema; the models it uses are added to `schemas` (shared names
    must be the same model)."""
    schema = channel.contract.model_json_schema(ref_template=SCHEMA_REF)
    for name, definition in schema.pop("$defs", {}).items():
        if schemas.setdefault(name, definition) != definition:
            raise ValueError(f"two different contract models are both called {name}")
    return schema


def _message(channel: Channel, schemas: dict[str, Any]) -> dict[str, Any]:
    name = channel.contract.__name__
    schema = contract_schema(channel, schemas)
    if schemas.setdefault(name, schema) != schema:
        raise ValueError(f"two different contracts are both called {name}")
    return {
        "name": channel.event_type,
        "title": f"{name} (v{channel.version})",
        "summary": channel.description,
        "contentType": "application/json",
        "correlationId": {
            "description": "The request or event that started this chain of events.",
            "location": "$message.payload#/correlation_id",
        },
        "headers": {"$ref": SCHEMA_REF.format(model=HEADERS_SCHEMA)},
        "payload": {"$ref": SCHEMA_REF.format(model=name)},
        "x-saathi-schema-version": channel.version,
    }


def _channel(channel: Channel) -> dict[str, Any]:
    return {
        "address": channel.subject,
        "title": channel.event_type,
        "description": channel.description,
        "messages": {message_id(channel): {"$ref": f"#/components/messages/{message_id(channel)}"}},
        "x-saathi-stream": channel.stream,
    }


def _operations(channel: Channel, key: str) -> dict[str, Any]:
    message = message_id(channel)
    operations = {
        f"{channel.producer}_sends_{key}": _send(
            key, message, channel.producer, "Published through the outbox, after commit."
        )
    }
    for consumer in channel.consumers:
        operations[f"{channel_id(consumer.durable)}_receives_{key}"] = _receive(
            key, message, consumer
        )
    return operations


def _send(key: str, message: str, service: str, summary: str) -> dict[str, Any]:
    return {
        "action": "send",
        "channel": {"$ref": f"#/channels/{key}"},
        "messages": [{"$ref": f"#/channels/{key}/messages/{message}"}],
        "summary": summary,
        "x-saathi-service": service,
    }


def _receive(key: str, message: str, consumer: Consumer) -> dict[str, Any]:
    return {
        "action": "receive",
        "channel": {"$ref": f"#/channels/{key}"},
        "messages": [{"$ref": f"#/channels/{key}/messages/{message}"}],
        "summary": f"{consumer.service} applies it (durable consumer {consumer.durable}).",
        "x-saathi-service": consumer.service,
        "x-saathi-durable": consumer.durable,
        "x-saathi-stream": consumer.stream,
        "x-saathi-filter-subject": consumer.filter_subject,
    }


def _dead_letter_channel(dead_letter: DeadLetterChannel, stream: str) -> dict[str, Any]:
    consumer = dead_letter.consumer
    return {
        "address": dead_letter.subject,
        "title": f"dead letters of {consumer.durable}",
        "description": (
            f"Messages {consumer.service}'s consumer {consumer.durable} could not apply "
            f"(from {consumer.filter_subject}), with the reason; ops list and replay them "
            "with `saathi-deadletters`."
        ),
        "messages": {"DeadLetter": {"$ref": "#/components/messages/DeadLetter"}},
        "x-saathi-stream": stream,
    }


def _dead_letter_message() -> dict[str, Any]:
    return {
        "name": "deadletter",
        "title": "Dead letter",
        "summary": "The original message, byte for byte, with why it could not be applied.",
        "contentType": "application/json",
        "headers": {"$ref": SCHEMA_REF.format(model=DEAD_LETTER_HEADERS_SCHEMA)},
        "payload": {
            "description": "The original payload as received (it may not be valid JSON).",
        },
    }


def event_headers_schema() -> dict[str, Any]:
    """NATS headers every event is published with (outbox and relay)."""
    trace_headers = sorted(TraceContextTextMapPropagator().fields)
    properties = {
        MESSAGE_ID_HEADER: _text(
            "The event_id (a replayed dead letter: replay-<sequence>-<uuid>); JetStream drops a "
            "second publish with the same id within the stream's duplicate window."
        ),
        CORRELATION_HEADER: _text("The envelope's correlation_id."),
        deadletters.REPLAYED_FROM: _text("Only on a replayed dead letter: its sequence there."),
    }
    for name in trace_headers:
        properties[name] = _text("W3C trace context, when the event was staged in a trace.")
    return {
        "type": "object",
        "properties": properties,
        "required": [MESSAGE_ID_HEADER, CORRELATION_HEADER],
    }


def dead_letter_headers_schema() -> dict[str, Any]:
    """NATS headers a dead letter carries besides the original message's own headers."""
    properties = {
        deadletters.REASON: _text("Why the consumer could not apply the message."),
        deadletters.ORIGINAL_SUBJECT: _text("The subject the message was published on."),
        deadletters.ORIGINAL_SEQUENCE: _text("Its sequence number in the original stream."),
        deadletters.CONSUMER: _text("The durable consumer that gave up on it."),
        deadletters.DELIVERIES: _text("How many times it was delivered."),
        MESSAGE_ID_HEADER: _text("dl-<consumer>-<stream>-<sequence>: one letter per message."),
    }
    return {"type": "object", "properties": properties, "required": sorted(properties)}


def _text(description: str) -> dict[str, str]:
    return {"type": "string", "description": description}
