"""Every v1 event survives the wire: encode, then decode by subject, gives the same event."""

import json
from datetime import timedelta

import pytest
from contract_examples import BRANCH, example, state_for

from shared.contracts.envelope import AggregateState, Event
from shared.contracts.registry import ALL_EVENTS, BY_SUBJECT, decode, encode

EVENTS = pytest.mark.parametrize("cls", ALL_EVENTS, ids=lambda cls: cls.SUBJECT)


@EVENTS
def test_encode_then_decode_gives_an_equal_event(cls: type[Event]) -> None:
    event = example(cls)

    decoded = decode(cls.SUBJECT, encode(event))

    assert type(decoded) is cls
    assert decoded == event


@EVENTS
def test_new_fills_the_envelope_from_the_contract(cls: type[Event]) -> None:
    state = state_for(cls)

    event = cls.new(state, branch=BRANCH, correlation_id="corr-1")

    assert event.type == cls.SUBJECT.rsplit(".v", 1)[0]
    assert cls.SUBJECT == f"{event.type}.v{event.schema_version}"
    assert event.source == cls.SOURCE == cls.SUBJECT.split(".", 1)[0]
    assert event.branch == BRANCH
    assert event.correlation_id == "corr-1"
    assert event.data == state
    if isinstance(state, AggregateState):  # notify's acknowledgements carry no aggregate
        assert event.aggregate_version == state.version
    assert event.occurred_at.utcoffset() == timedelta(0)


def test_correlation_defaults_to_the_events_own_id() -> None:
    cls = ALL_EVENTS[0]
    event = cls.new(state_for(cls), branch=BRANCH)

    assert event.correlation_id == str(event.event_id)


def test_each_new_event_gets_a_fresh_id() -> None:
    cls = ALL_EVENTS[0]
    state = state_for(cls)

    assert cls.new(state, branch=BRANCH).event_id != cls.new(state, branch=BRANCH).event_id


def test_subjects_are_unique_and_all_registered() -> None:
    assert len(BY_SUBJECT) == len(ALL_EVENTS)
    assert all(BY_SUBJECT[cls.SUBJECT] is cls for cls in ALL_EVENTS)


@EVENTS
def test_wire_form_is_json_with_the_envelope_attributes(cls: type[Event]) -> None:
    wire = json.loads(encode(example(cls)))

    assert set(wire) == {
        "event_id",
        "type",
        "source",
        "occurred_at",
        "schema_version",
        "branch",
        "correlation_id",
        "data",
    }
    assert cls.SUBJECT.endswith(f".v{wire['schema_version']}")
