"""Messages no contract accepts are refused, and the refusal never echoes payload values."""

import json
from typing import Any

import pytest
from contract_examples import example

from shared.contracts.intake import ConsentChanged, EpisodeAdmitted, EpisodeDischarged
from shared.contracts.registry import ALL_EVENTS, UndecodableEvent, decode, encode

ADMITTED = EpisodeAdmitted.SUBJECT


def _wire(**changes: Any) -> dict[str, Any]:
    wire = json.loads(encode(example(EpisodeAdmitted)))
    wire.update(changes)
    return wire


def _refused(subject: str, wire: dict[str, Any]) -> UndecodableEvent:
    with pytest.raises(UndecodableEvent) as caught:
        decode(subject, json.dumps(wire).encode())
    return caught.value


def test_unknown_envelope_field_is_refused() -> None:
    error = _refused(ADMITTED, _wire(priority="high"))

    assert "priority" in error.reason


def test_unknown_data_field_is_refused() -> None:
    wire = _wire()
    wire["data"]["mrn"] = "MRN-000123"

    error = _refused(ADMITTED, wire)

    assert "data.mrn" in error.reason
    assert "MRN-000123" not in error.reason


@pytest.mark.parametrize("cls", ALL_EVENTS, ids=lambda cls: cls.SUBJECT)
def test_another_schema_version_on_a_subject_is_refused(cls: type) -> None:
    wire = json.loads(encode(example(cls)))
    wire["schema_version"] += 1

    error = _refused(cls.SUBJECT, wire)

    assert "schema_version" in error.reason


@pytest.mark.parametrize(
    "subject", ["intake.episode.admitted.v2", "intake.episode.readmitted.v1", "", "intake"]
)
def test_unknown_subject_is_refused(subject: str) -> None:
    error = _refused(subject, _wire())

    assert "no contract" in error.reason


def test_event_on_another_events_subject_is_refused() -> None:
    error = _refused(EpisodeDischarged.SUBJECT, _wire())

    assert "type" in error.reason


def test_not_json_is_refused() -> None:
    with pytest.raises(UndecodableEvent):
        decode(ADMITTED, b"MSH|^~\\&|EHR|KOL|")


def test_missing_required_field_is_refused() -> None:
    wire = _wire()
    del wire["data"]["patient_ref"]

    error = _refused(ADMITTED, wire)

    assert "data.patient_ref" in error.reason


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("data", "version"), "2"),
        (("data", "admitted_at"), 1773480600),
        (("data", "version"), True),
    ],
    ids=["int-as-string", "datetime-as-number", "bool-as-int"],
)
def test_strict_types_are_not_coerced(path: tuple[str, str | None], value: Any) -> None:
    wire = _wire()
    outer, inner = path
    if inner is None:
        wire[outer] = value
    else:
        wire[outer][inner] = value

    _refused(ADMITTED, wire)


NAME = "Rahul Sharma"


@pytest.mark.parametrize(
    ("subject", "place"),
    [
        (ADMITTED, ("data", "version")),
        (ADMITTED, ("data", "status")),
        (ADMITTED, ("data", "admitted_at")),
        (ADMITTED, ("data", "discharged_at")),
        (ADMITTED, ("event_id", None)),
        (ADMITTED, ("schema_version", None)),
        (ADMITTED, ("type", None)),
        (ADMITTED, ("data", None)),
        (ConsentChanged.SUBJECT, ("data", "status")),
    ],
    ids=lambda p: ".".join(x for x in p if x) if isinstance(p, tuple) else p,
)
def test_refusal_does_not_echo_the_offending_value(
    subject: str, place: tuple[str, str | None]
) -> None:
    cls = ConsentChanged if subject == ConsentChanged.SUBJECT else EpisodeAdmitted
    wire = json.loads(encode(example(cls)))
    outer, inner = place
    if inner is None:
        wire[outer] = NAME
    else:
        wire[outer][inner] = NAME

    error = _refused(subject, wire)

    assert "Rahul" not in error.reason
    assert "Rahul" not in str(error)
    assert error.__cause__ is None
    assert error.__suppress_context__
