"""HL7 decoding and field mapping (pure: no socket, no database)."""

from datetime import UTC, date, datetime

import pytest

from helpers.hl7 import corpus
from intake.config import DEFAULT_SENDERS, Hl7Sender
from intake.hl7 import codec
from intake.hl7.mapping import read_header, to_command
from intake.hl7.problems import Hl7Problem

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


def command(raw: bytes, sender: Hl7Sender | None = None, now: datetime | None = None):
    parsed = codec.parse(raw)
    header = read_header(parsed)
    return to_command(parsed, header, sender or DEFAULT_SENDERS[header.sender], now)


def test_line_endings_do_not_matter():
    crlf = corpus("a01_v231_crlf_zseg.hl7")
    for variant in (crlf, crlf.replace(b"\r\n", b"\n"), crlf.replace(b"\r\n", b"\r")):
        assert command(variant).visit.number == "V-C001"


def keys(pid3: str) -> list[tuple[str, str, str]]:
    return [(i.authority, i.type, i.value) for i in command(message(pid3=pid3)).patient.identifiers]


def test_identifiers_are_keyed_by_authority_type_and_value():
    assert keys("M1^^^KOL-SL^MR~91-4443-4293-4402^^^ABHA^NI~X9^^^citylab^pi~E7^^^SAATHI^PE") == [
        ("KOL-SL", "MR", "M1"),
        ("ABDM", "ABHA", "91444342934402"),
        ("CITYLAB", "PI", "X9"),
        ("SAATHI", "PE", "E7"),
    ]


def test_the_same_mrn_from_two_authorities_is_two_identifiers():
    assert keys("12345^^^KOL-SL^MR") != keys("12345^^^KOL-BEH^MR")


def test_an_identifier_without_authority_or_type_is_the_senders_medical_record_number():
    assert keys("M1") == [("KOL-SALT-LAKE", "MR", "M1")]  # SALTLAKE sends for one branch
    his = DEFAULT_SENDERS["SAATHI-HIS"]
    raw = message(pid3="M1").replace(b"W3^^^SLH", b"W3^^^SLK").replace(b"SALTLAKE", b"SAATHI-HIS")
    assert [(i.authority, i.type) for i in command(raw, his).patient.identifiers] == [
        ("SAATHI-HIS", "MR")
    ]


def test_an_authority_given_as_an_iso_oid_is_a_urn():
    assert keys("M1^^^&1.2.356.1&ISO^MR") == [("urn:oid:1.2.356.1", "MR", "M1")]


@pytest.mark.parametrize(
    "written", ["91-4443-4293-4402", "91444342934402", "91 4443 4293 4402", " 9144-4342 934402 "]
)
def test_an_abha_number_however_written_is_one_identifier(written):
    assert keys(f"{written}^^^ABHA^NI") == [("ABDM", "ABHA", "91444342934402")]
    assert keys(f"{written}^^^NDHM") == keys(f"{written}^^^^ABHA")


def test_an_abha_address_is_its_own_kind_of_identifier():
    assert keys("Rina.Das@abdm^^^ABDM^ABHA") == [("ABDM", "ABHA-ADDRESS", "rina.das@abdm")]


@pytest.mark.parametrize("written", ["91-4443-4293-440", "9144434293440X", "91-4443-4293-44021"])
def test_an_abha_number_that_is_not_14_digits_is_ae_naming_the_field(written):
    with pytest.raises(Hl7Problem) as problem:
        command(message(pid3=f"M1^^^SAATHI^MR~{written}^^^ABHA^NI"))
    assert (problem.value.ack, problem.value.location) == ("AE", "PID^1^3")
    assert "PID-3" in problem.value.text and "14 digits" in problem.value.text
    assert written not in problem.value.text


@pytest.mark.parametrize(
    "birth", ["19950724", "199507240000", "199507242330+0530", "19950724-0800"]
)
def test_a_birth_date_is_the_calendar_date_sent(birth):
    assert command(message(birth=birth)).patient.birth_date == date(1995, 7, 24)


def test_a_baby_born_today_in_kolkata_is_accepted_before_midnight_utc():
    evening_utc = datetime(2026, 3, 14, 20, 0, tzinfo=UTC)  # 01:30 on the 15th in Kolkata
    born = command(message(birth="20260315"), now=evening_utc).patient.birth_date
    assert born == date(2026, 3, 15)
    with pytest.raises(Hl7Problem) as problem:
        command(message(birth="20260316"), now=evening_utc)
    assert problem.value.location == "PID^1^7"


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


@pytest.mark.parametrize("control_id", [b"\x1cC1", b"C1\x1c", b"\x0bC1", b"C1\x1f"])
def test_a_control_character_at_either_end_of_the_control_id_is_refused_too(control_id):
    # Python's strip() takes \x1c-\x1f for white space: stripped, "C1" would be stored while
    # the ACK echoed the raw id, so the sender would get an AA for an id Saathi never kept.
    raw = message().replace(b"|C1|", b"|" + control_id + b"|")
    with pytest.raises(Hl7Problem) as problem:
        read_header(codec.parse(raw))
    assert (problem.value.ack, problem.value.code) == ("AR", 102)


def test_two_messages_whose_control_ids_differ_after_a_separator_are_not_taken_for_one():
    first = read_header(codec.parse(message().replace(b"|C1|", b"|C1~105|")))
    second = read_header(codec.parse(message().replace(b"|C1|", b"|C1~999|")))
    assert (first.control_id, second.control_id) == ("C1~105", "C1~999")
