"""Split HL7 files into messages: one per block, MLLP-framed, or FHS/BHS batch files."""

import re

_LINE_END = re.compile(rb"\r\n|\n|\r")
_ENVELOPE = (b"FHS", b"FTS", b"BHS", b"BTS")


def split_messages(content: bytes) -> list[bytes]:
    """Each MSH starts a message; batch and file header/trailer segments are dropped.

    Works on bytes, so every message keeps the encoding it was written in (MSH-18).
    """
    messages: list[list[bytes]] = []
    for line in _LINE_END.split(content.replace(b"\x0b", b"\n").replace(b"\x1c", b"\n")):
        segment = line.removeprefix(b"\xef\xbb\xbf").strip(b" \t")
        if not segment or segment[:3] in _ENVELOPE:
            continue
        if segment.startswith(b"MSH"):
            messages.append([segment])
        elif messages:
            messages[-1].append(segment)
    return [b"\r".join(segments) for segments in messages]
