"""Splitting HL7 files into messages."""

from intake.hl7.batch import split_messages

A = b"MSH|^~\\&|EHR|SALTLAKE|||20260101||ADT^A01|C1|P|2.5\rPID|1||M1\rPV1|1|I|W"
B = "MSH|^~\\&|EHR|SALTLAKE|||20260101||ADT^A03|C2|P|2.5\rPID|1||M2||Müller".encode("latin-1")


def test_a_batch_file_yields_its_messages_without_the_envelope():
    content = (
        b"FHS|^~\\&|EHR\r\nBHS|^~\\&|EHR\r\n"
        + A.replace(b"\r", b"\r\n")
        + b"\r\n"
        + B.replace(b"\r", b"\r\n")
        + b"\r\nBTS|2\r\nFTS|1\r\n"
    )
    assert split_messages(content) == [A, B]


def test_blocks_separated_by_blank_lines_or_mllp_frames():
    assert split_messages(A + b"\n\n\n" + B + b"\n") == [A, B]
    assert split_messages(b"\x0b" + A + b"\x1c\r\x0b" + B + b"\x1c\r") == [A, B]


def test_bytes_before_the_first_header_are_ignored():
    assert split_messages(b"\xef\xbb\xbfjunk line\n" + A) == [A]
