"""Contracts are frozen and refuse unknown fields, so a typo never travels silently."""

import pytest
from contract_examples import STATE_FACTORIES, example
from pydantic import ValidationError

from shared.contracts.envelope import AggregateState, Event
from shared.contracts.registry import ALL_EVENTS

EVENTS = pytest.mark.parametrize("cls", ALL_EVENTS, ids=lambda cls: cls.SUBJECT)
STATES = pytest.mark.parametrize("state_cls", STATE_FACTORIES, ids=lambda cls: cls.__name__)
AGGREGATES = pytest.mark.parametrize(
    "state_cls",
    [cls for cls in STATE_FACTORIES if issubclass(cls, AggregateState)],
    ids=lambda cls: cls.__name__,
)


@EVENTS
def test_event_attributes_cannot_be_reassigned(cls: type[Event]) -> None:
    event = example(cls)

    with pytest.raises(ValidationError):
        event.branch = "del-saket"  # type: ignore[misc]
    assert event.branch != "del-saket"


@EVENTS
def test_carried_state_cannot_be_reassigned(cls: type[Event]) -> None:
    event = example(cls)

    # an aggregate's version, or a plain contract's first field (notify's acknowledgements)
    field = next(iter(type(event.data).model_fields))
    field = "version" if isinstance(event.data, AggregateState) else field
    before = getattr(event.data, field)
    with pytest.raises(ValidationError):
        setattr(event.data, field, 99)
    assert getattr(event.data, field) == before


@EVENTS
def test_event_refuses_unknown_fields(cls: type[Event]) -> None:
    fields = dict(example(cls))

    with pytest.raises(ValidationError, match="extra"):
        cls(**fields, patient_name="x")


@STATES
def test_state_refuses_unknown_fields(state_cls: type[AggregateState]) -> None:
    fields = STATE_FACTORIES[state_cls]().model_dump()

    with pytest.raises(ValidationError, match="extra"):
        state_cls(**fields, mrn="x")


@AGGREGATES
def test_state_version_starts_at_one(state_cls: type[AggregateState]) -> None:
    fields = STATE_FACTORIES[state_cls]().model_dump()

    with pytest.raises(ValidationError):
        state_cls(**{**fields, "version": 0})


@EVENTS
def test_contract_config_is_frozen_strict_and_forbids_extra(cls: type[Event]) -> None:
    for model in (cls, cls.model_fields["data"].annotation):
        assert model.model_config.get("frozen") is True
        assert model.model_config.get("extra") == "forbid"
        assert model.model_config.get("strict") is True
