"""HL7 decoding and field mapping (pure: no socket, no database)."""

from datetime import UTC, datetime

import pytest

from helpers.hl7 import corpus
from intake.hl7 import codec
from intake.hl7.mapping import read_header, to_command
from intake.hl7.problems import Hl7Problem
from intake.hl7.senders import DEFAULT_SENDERS, Hl7Sender

A01 = (
    "MSH|^~\\&|EHR|SALTLAKE|SAATHI|SAATHI-INTAKE|20260314093000||ADT^A01|C1|P|2.5\r"
    "PID|1||{pid3}||{name}||{birth}|F|||||||{lang}\r"
    "PV1|1|I|W3^^^SLH||||||||||||||||{visit}" + "|" * 25 + "{admit}"
)


def message(**fields: str) -> bytes:
    values = {
        "pid3": "M1^^^SAATHI^MR",
        "name": "Das^Mita",
        "birth": "19900102",
        "lang": "ben",
        "visit": "V1",
        "admit": "20260314093000",
    }
    return A01.format(**{**values, **fields}).encode()


def command(raw: bytes, sender: Hl7Sender | None = None):
    parsed = codec.parse(raw)
    header = read_header(parsed)
    return to_command(parsed, header, sender or DEFAULT_SENDERS[header.sender])


def test_line_endings_do_not_matter():
    crlf = corpus("a01_v231_crlf_zseg.hl7")
    for variant in (crlf, crlf.replace(b"\r\n", b"\n"), crlf.replace(b"\r\n", b"\r")):
        assert command(variant).visit.number == "V-C001"


def test_repeated_identifiers_keep_their_systems():
    mapped = command(message(pid3="M1^^^SAATHI^MR~12-34^^^ABHA^NI~X9^^^CITYLAB^PI"))
    assert [(i.system, i.value) for i in mapped.patient.identifiers] == [
        ("mrn", "M1"),
        ("abha", "12-34"),
        ("citylab:pi", "X9"),
    ]


def test_escape_sequences_are_decoded():
    mapped = command(message(name="O\\S\\Brien\\T\\Co^Ann\\F\\Marie"))
    assert (mapped.patient.family_name, mapped.patient.given_name) == ("O^Brien&Co", "Ann|Marie")


def test_times_without_offset_are_the_senders_local_time():
    mapped = command(message(admit="20260314093000"))
    assert mapped.visit.admitted_at == datetime(2026, 3, 14, 4, 0, tzinfo=UTC)
    with_offset = command(message(admit="202603140930+0000"))
    assert with_offset.visit.admitted_at == datetime(2026, 3, 14, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize(("code", "language"), [("ben", "bn"), ("EN", "en"), ("xx1", None)])
def test_language_codes(code, language):
    assert command(message(lang=code)).patient.language == language


@pytest.mark.parametrize(
    ("fields", "location"),
    [
        ({"pid3": ""}, "PID^1^3"),
        ({"visit": ""}, "PV1^1^19"),
        ({"birth": "19901301"}, "PID^1^7"),
        ({"birth": "29990101"}, "PID^1^7"),
        ({"admit": "14/03/2026"}, "PV1^1^44"),
    ],
)
def test_content_errors_are_ae_with_the_field(fields, location):
    with pytest.raises(Hl7Problem) as problem:
        command(message(**fields))
    assert (problem.value.ack, problem.value.location) == ("AE", location)


def test_a_sender_with_facilities_maps_pv1_3_to_a_branch():
    his = DEFAULT_SENDERS["SAATHI-HIS"]
    raw = message().replace(b"W3^^^SLH", b"W3^^^BHL")
    assert command(raw, his).visit.branch == "kol-behala"
    with pytest.raises(Hl7Problem):
        command(message(), his)  # SLH is not one of its facility codes


def test_charset_is_read_from_msh_18_before_decoding():
    raw = corpus("a01_v24_latin1_declared.hl7")
    assert codec.declared_charset(raw) == "8859/1"
    assert "Müller" in codec.decode(raw)
    assert "Zoë" in codec.decode(corpus("a01_v251_latin1_undeclared.hl7"))


def test_bytes_that_are_not_hl7_are_refused():
    with pytest.raises(Hl7Problem) as problem:
        codec.parse(b"\x00\xff garbage")
    assert problem.value.ack == "AR"


def test_an_overlong_control_id_is_refused_before_anything_is_stored():
    raw = message().replace(b"|C1|", b"|" + b"9" * 250 + b"|")
    with pytest.raises(Hl7Problem) as problem:
        read_header(codec.parse(raw))
    assert problem.value.ack == "AR"


def test_a_control_id_with_control_characters_is_refused():
    raw = message().replace(b"|C1|", b"|C\x1c1|")
    with pytest.raises(Hl7Problem) as problem:
        read_header(codec.parse(raw))
    assert (problem.value.ack, problem.value.code) == ("AR", 102)


def test_two_messages_whose_control_ids_differ_after_a_separator_are_not_taken_for_one():
    first = read_header(codec.parse(message().replace(b"|C1|", b"|C1~105|")))
    second = read_header(codec.parse(message().replace(b"|C1|", b"|C1~999|")))
    assert (first.control_id, second.control_id) == ("C1~105", "C1~999")
