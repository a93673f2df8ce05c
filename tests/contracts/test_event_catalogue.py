"""The event catalogue (docs/events/: AsyncAPI 3.0 and its readable page) is generated from the
code: committed files that differ from what the generator makes now fail here, and every
registered contract appears with the service that publishes it and the consumers that apply it."""

from functools import cache
from typing import Any

import pytest
import yaml

from aftercare.app import create_app as create_aftercare
from aftercare.config import AftercareSettings
from helpers.apps import FAST
from intake.app import create_app as create_intake
from intake.config import IntakeSettings
from matching.app import create_app as create_matching
from matching.config import MatchingSettings
from notify.app import create_app as create_notify
from notify.config import NotifySettings
from saathi_stack.asyncapi.files import (
    ASYNCAPI,
    CATALOGUE,
    default_folder,
    differences,
    render_files,
)
from sessions.app import create_app as create_sessions
from sessions.config import SessionsSettings
from shared.contracts.envelope import Event
from shared.contracts.registry import ALL_EVENTS
from shared.nats_permissions import CONSUMERS
from shared.streams import DEAD_LETTER_PREFIX, stream_for

APPS = {
    "intake": (create_intake, IntakeSettings),
    "matching": (create_matching, MatchingSettings),
    "sessions": (create_sessions, SessionsSettings),
    "aftercare": (create_aftercare, AftercareSettings),
    "notify": (create_notify, NotifySettings),
}
EVENTS = pytest.mark.parametrize("cls", ALL_EVENTS, ids=lambda cls: cls.SUBJECT)


@cache
def document() -> dict[str, Any]:
    return yaml.safe_load((default_folder() / ASYNCAPI).read_text(encoding="utf-8"))


@cache
def readers() -> dict[str, set[tuple[str, str]]]:
    """(service, durable consumer) applying each subject, from the apps the services build."""
    found: dict[str, set[tuple[str, str]]] = {}
    for service, (create_app, settings_cls) in APPS.items():
        for spec in create_app(settings_cls(**FAST)).state.runtime.consumer_specs:
            for subject in spec.handlers:
                found.setdefault(subject, set()).add((service, spec.name))
    return found


def operations_on(subject: str, action: str) -> list[dict[str, Any]]:
    doc = document()
    [key] = [key for key, channel in doc["channels"].items() if channel["address"] == subject]
    return [
        operation
        for operation in doc["operations"].values()
        if operation["action"] == action and operation["channel"]["$ref"] == f"#/channels/{key}"
    ]


def test_the_committed_catalogue_is_what_the_code_generates_now() -> None:
    stale = differences(default_folder(), render_files())
    assert not stale, (
        f"docs/events/ is out of date with the code ({'; '.join(stale)}): "
        "run `uv run saathi asyncapi` and commit docs/events/"
    )


@EVENTS
def test_every_contract_has_a_channel_on_its_subject_in_its_producers_stream(
    cls: type[Event],
) -> None:
    [channel] = [c for c in document()["channels"].values() if c["address"] == cls.SUBJECT]
    assert channel["x-saathi-stream"] == stream_for(cls.SUBJECT)
    [message] = channel["messages"].values()
    name = message["$ref"].rsplit("/", 1)[1]
    payload = document()["components"]["messages"][name]["payload"]["$ref"]
    assert payload == f"#/components/schemas/{cls.__name__}"


@EVENTS
def test_every_contract_is_sent_by_its_producer_alone(cls: type[Event]) -> None:
    senders = [op["x-saathi-service"] for op in operations_on(cls.SUBJECT, "send")]
    assert senders == [cls.SOURCE]


@EVENTS
def test_every_contract_is_received_by_each_consumer_that_applies_it(cls: type[Event]) -> None:
    received = {
        (op["x-saathi-service"], op["x-saathi-durable"])
        for op in operations_on(cls.SUBJECT, "receive")
    }
    assert received == readers().get(cls.SUBJECT, set())
    for service, durable in received:
        assert durable in CONSUMERS[service]


@EVENTS
def test_the_readable_catalogue_lists_every_contract_with_producer_and_consumers(
    cls: type[Event],
) -> None:
    page = (default_folder() / CATALOGUE).read_text(encoding="utf-8")
    [row] = [line for line in page.splitlines() if line.startswith(f"| `{cls.SUBJECT}` |")]
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells[1:4] == [cls.__name__, str(cls.model_fields["schema_version"].default), cls.SOURCE]
    for service, durable in readers().get(cls.SUBJECT, set()):
        assert f"{service} (`{durable}`)" in cells[4]
    assert f"(schemas/{cls.SUBJECT}.json)" in cells[6]


def test_every_durable_consumer_has_its_dead_letter_channel() -> None:
    addresses = {channel["address"] for channel in document()["channels"].values()}
    for service, durables in CONSUMERS.items():
        for durable in durables:
            assert f"{DEAD_LETTER_PREFIX}.{durable}" in addresses, service
