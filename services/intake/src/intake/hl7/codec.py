"""Bytes to a parsed HL7 v2 message: charset from MSH-18, any line ending, fields unescaped."""

import hl7

from intake.hl7.problems import Hl7Problem

# MSH-18 character set names (HL7 table 0211) → Python codecs. Unnamed: UTF-8, then Latin-1.
_CHARSETS = {
    "UNICODE UTF-8": "utf-8",
    "UTF-8": "utf-8",
    "UTF8": "utf-8",
    "8859/1": "latin-1",
    "8859/15": "iso8859-15",
    "ASCII": "ascii",
    "UNICODE": "utf-8",
}


def raw_header_field(raw: bytes, number: int) -> bytes:
    """MSH-`number` (3 and up) read from the raw bytes, before decoding or parsing."""
    start = raw.find(b"MSH")
    if start < 0 or len(raw) < start + 4:
        return b""
    header = raw[start:].split(b"\r", 1)[0].split(b"\n", 1)[0]
    fields = header.split(header[3:4])
    return fields[number - 1].strip() if len(fields) >= number else b""


def declared_charset(raw: bytes) -> str | None:
    """MSH-18 of a raw message, read before decoding (it tells how to decode the rest)."""
    charset = raw_header_field(raw, 18).split(b"~")[0].decode("ascii", "replace").upper()
    return charset or None


def decode(raw: bytes) -> str:
    """Text of a message: by MSH-18 when declared, else UTF-8, else Latin-1 (never lossy)."""
    declared = declared_charset(raw)
    codec = _CHARSETS.get(declared or "", "utf-8")
    try:
        return raw.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return raw.decode("latin-1")


def normalise(text: str) -> str:
    """Segments end with \\r in HL7; senders also use \\n or \\r\\n. Blank lines are dropped."""
    lines = text.replace("\r\n", "\r").replace("\n", "\r").split("\r")
    return "\r".join(line for line in lines if line.strip())


def parse(raw: bytes) -> hl7.Message:
    """A parsed message, or Hl7Problem (AR) when the bytes are not an HL7 v2 message."""
    text = normalise(decode(raw)).lstrip("\ufeff \t")
    if not text.startswith("MSH") or len(text) < 8:
        raise Hl7Problem("AR", 100, "the message does not start with an MSH segment")
    try:
        message = hl7.parse(text)
        message.segment("MSH")
    except Exception:
        raise Hl7Problem("AR", 102, "the message could not be parsed as HL7 v2") from None
    return message


def _first(message: hl7.Message, segment: str) -> hl7.Segment | None:
    # A plain scan: the library's lookup builds a list of every match on each call.
    for candidate in message:
        if candidate[0][0] == segment:
            return candidate
    return None


def value(
    message: hl7.Message,
    segment: str,
    field: int,
    component: int = 1,
    repetition: int = 1,
    subcomponent: int = 1,
) -> str:
    """One unescaped value of the first `segment` ('' when it or the field is absent)."""
    found = _first(message, segment)
    if found is None:
        return ""
    try:
        raw = str(found.extract_field(1, field, repetition, component, subcomponent))
    except IndexError:
        return ""
    if message.esc in raw:
        raw = str(message.unescape(raw))
    return raw.strip()


def field_text(message: hl7.Message, segment: str, field: int) -> str:
    """A whole field as sent (components, repetitions and escapes untouched): what an ACK
    echoes, so the key a message is remembered by is exactly what the sender will see."""
    found = _first(message, segment)
    if found is None:
        return ""
    try:
        # Spaces only: str.strip() would also take control characters (\x1c-\x1f count as white
        # space), hiding them from the checks while the ACK still echoes them.
        return str(found(field)).strip(" ")
    except IndexError:
        return ""


def repetitions(message: hl7.Message, segment: str, field: int) -> int:
    """How many repetitions a field has (0 when absent or empty)."""
    found = _first(message, segment)
    if found is None:
        return 0
    try:
        text = str(found(field))
    except IndexError:
        return 0
    return text.count(message.separators[2]) + 1 if text else 0
