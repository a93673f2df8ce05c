"""Acknowledgements: original and enhanced mode, and where the error goes."""

import hl7
import pytest

from intake.hl7.ack import TRANSIENT, Outcome, acknowledgements
from intake.hl7.mapping import read_header
from intake.hl7.problems import Hl7Problem

MSH = (
    "MSH|^~\\&|EHR|SALTLAKE|SAATHI|SAATHI-INTAKE|20260314093000||ADT^A01|C1|P|{version}"
    "|||{accept}|{app}\rPID|1"
)
AE = Outcome.refused(
    Hl7Problem("AE", 101, "PID-3 (patient identifier list) is required", "PID^1^3")
)


def acks(outcome: Outcome, version: str = "2.5", accept: str = "", app: str = "") -> list[str]:
    message = hl7.parse(MSH.format(version=version, accept=accept, app=app))
    return acknowledgements(message, read_header(message), outcome)


def codes(answers: list[str]) -> list[str]:
    return [hl7.parse(a).segment("MSA")(1)[0] for a in answers]


def test_original_mode_answers_once_and_echoes_the_control_id():
    [ack] = acks(Outcome("AA", "new episode, admitted"))
    parsed = hl7.parse(ack)
    assert str(parsed.segment("MSA")) == "MSA|AA|C1"
    assert str(parsed.segment("MSH")(9)) == "ACK^A01^ACK"


def test_an_error_names_the_field_in_err():
    [ack] = acks(AE)
    parsed = hl7.parse(ack)
    assert str(parsed.segment("MSA")(3)) == "PID-3 (patient identifier list) is required"
    err = parsed.segment("ERR")
    assert (str(err(2)), str(err(3)(1)(1)), str(err(4))) == ("PID^1^3", "101", "E")


def test_a_transient_failure_is_an_ar_the_sender_can_resend():
    assert codes(acks(TRANSIENT)) == ["AR"]
    assert codes(acks(TRANSIENT, accept="AL", app="AL")) == ["CE"]


@pytest.mark.parametrize(
    ("accept", "app", "outcome", "expected"),
    [
        ("AL", "AL", Outcome("AA", "ok"), ["CA", "AA"]),
        ("AL", "NE", Outcome("AA", "ok"), ["CA"]),
        ("NE", "AL", Outcome("AA", "ok"), ["AA"]),
        ("SU", "ER", Outcome("AA", "ok"), ["CA"]),
        ("SU", "ER", AE, ["CA", "AE"]),
        ("ER", "ER", Outcome("AA", "ok"), []),
        ("AL", "AL", Outcome.refused(Hl7Problem("AR", 200, "unsupported")), ["CR"]),
    ],
)
def test_enhanced_mode_follows_msh_15_and_16(accept, app, outcome, expected):
    assert codes(acks(outcome, accept=accept, app=app)) == expected
