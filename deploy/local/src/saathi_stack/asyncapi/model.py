"""What the event catalogue says, read from the code: every registered contract, the service
that publishes it and the durable consumers that apply it, and the dead-letter subjects."""

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI

from aftercare.app import create_app as create_aftercare
from aftercare.config import AftercareSettings
from intake.app import create_app as create_intake
from intake.config import IntakeSettings
from matching.app import create_app as create_matching
from matching.config import MatchingSettings
from notify.app import create_app as create_notify
from notify.config import NotifySettings
from sessions.app import create_app as create_sessions
from sessions.config import SessionsSettings
from shared.consumer import ConsumerSpec
from shared.contracts.envelope import Event
from shared.contracts.registry import ALL_EVENTS
from shared.nats_permissions import SERVICES, service_permissions
from shared.runtime import ServiceRuntime
from shared.settings import ServiceSettings
from shared.streams import DEAD_LETTER_PREFIX, DEAD_LETTER_STREAM, stream_for

APPS: Mapping[str, tuple[Callable[[Any], FastAPI], type[ServiceSettings]]] = {
    "intake": (create_intake, IntakeSettings),
    "matching": (create_matching, MatchingSettings),
    "sessions": (create_sessions, SessionsSettings),
    "aftercare": (create_aftercare, AftercareSettings),
    "notify": (create_notify, NotifySettings),
}
# Settings only good enough to assemble an app (nothing is started or connected): the consumer
# specs do not depend on them. Sessions refuses a setup where nobody hears a crisis.
ASSEMBLY_SETTINGS: Mapping[str, Any] = {
    "database_url": "sqlite+aiosqlite:///:memory:",
    "auth_required": False,
    "log_json": False,
    "mllp_port": 0,
    "fallback_duty_chain": [{"person_id": "network-on-call", "role": "clinician"}],
}


@dataclass(frozen=True)
class Consumer:
    """One durable consumer of a service, as its ConsumerSpec declares it."""

    service: str
    durable: str
    stream: str
    filter_subject: str


@dataclass(frozen=True)
class Channel:
    """One contract on its subject: who publishes it and which durable consumers apply it."""

    subject: str
    contract: type[Event]
    producer: str
    stream: str
    consumers: tuple[Consumer, ...]

    @property
    def event_type(self) -> str:
        """The envelope's `type` (the subject without its version)."""
        return str(self.contract.model_fields["type"].default)

    @property
    def version(self) -> int:
        """The envelope's `schema_version`."""
        return int(self.contract.model_fields["schema_version"].default)

    @property
    def description(self) -> str:
        """The contract's docstring, as one paragraph."""
        return " ".join((inspect.getdoc(self.contract) or "").split())


@dataclass(frozen=True)
class DeadLetterChannel:
    """Where a durable consumer's undeliverable messages go, published by its service."""

    subject: str
    consumer: Consumer


@dataclass(frozen=True)
class Catalogue:
    """Every channel of the platform, sorted by subject."""

    channels: tuple[Channel, ...]
    dead_letters: tuple[DeadLetterChannel, ...]
    dead_letter_stream: str


def service_consumers(service: str) -> tuple[tuple[Consumer, ConsumerSpec], ...]:
    """A service's durable consumers, from the app its composition root assembles."""
    create_app, settings_class = APPS[service]
    runtime: ServiceRuntime = create_app(settings_class(**ASSEMBLY_SETTINGS)).state.runtime
    return tuple(
        (Consumer(service, spec.name, spec.stream, spec.filter_subject), spec)
        for spec in runtime.consumer_specs
    )


def producer_of(subject: str) -> str:
    """The one service whose NATS user may publish on `subject` (it owns the subject prefix)."""
    owners = [
        service
        for service in SERVICES
        if any(
            _matches(pattern, subject)
            for pattern in service_permissions(service)["publish"]["allow"]
            if not pattern.startswith(("$", DEAD_LETTER_PREFIX))
        )
    ]
    if len(owners) != 1:
        raise ValueError(f"{subject}: expected one publishing service, found {owners}")
    return owners[0]


def _matches(pattern: str, subject: str) -> bool:
    """NATS subject matching: `*` is one token, a trailing `>` one or more."""
    wanted, tokens = pattern.split("."), subject.split(".")
    for index, token in enumerate(wanted):
        if token == ">":
            return len(tokens) > index
        if index >= len(tokens) or token not in ("*", tokens[index]):
            return False
    return len(tokens) == len(wanted)


def _channel(contract: type[Event], consumers: list[tuple[Consumer, ConsumerSpec]]) -> Channel:
    subject = contract.SUBJECT
    producer = producer_of(subject)
    if producer != contract.SOURCE:
        raise ValueError(f"{subject}: published by {producer} but its SOURCE is {contract.SOURCE}")
    readers = tuple(
        sorted(
            (consumer for consumer, spec in consumers if subject in spec.handlers),
            key=lambda consumer: (consumer.service, consumer.durable),
        )
    )
    return Channel(subject, contract, producer, stream_for(subject), readers)


def build_catalogue() -> Catalogue:
    """The catalogue as the code defines it now."""
    consumers = [pair for service in SERVICES for pair in service_consumers(service)]
    registered = {cls.SUBJECT for cls in ALL_EVENTS}
    for consumer, spec in consumers:
        if unknown := sorted(set(spec.handlers) - registered):
            raise ValueError(f"{consumer.durable} handles unregistered subjects {unknown}")
    channels = tuple(
        sorted((_channel(cls, consumers) for cls in ALL_EVENTS), key=lambda c: c.subject)
    )
    dead_letters = tuple(
        sorted(
            (
                DeadLetterChannel(f"{DEAD_LETTER_PREFIX}.{consumer.durable}", consumer)
                for consumer, _ in consumers
            ),
            key=lambda channel: channel.subject,
        )
    )
    return Catalogue(channels, dead_letters, DEAD_LETTER_STREAM)
