"""Property: whatever bytes arrive on the socket, the listener stays up, never answers AA for
something it did not store, and keeps serving the other connections."""

import asyncio
import contextlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from helpers.hl7 import CORPUS, codes, corpus
from helpers.intake import mllp_port
from intake.hl7.client import MllpClient, ack_code
from intake.hl7.models import Hl7Message

MESSAGES = sorted(path.name for path in CORPUS.glob("*.hl7"))
FRAME_BYTES = st.sampled_from([b"\x0b", b"\x1c", b"\x0d", b"\x1c\x0d", b"|", b"^", b"~", b"\\"])


@st.composite
def mutated_message(draw: st.DrawFn) -> bytes:
    """A corpus message with bytes replaced, inserted or cut, framed or not."""
    raw = bytearray(corpus(draw(st.sampled_from(MESSAGES))))
    for _ in range(draw(st.integers(0, 6))):
        at = draw(st.integers(0, max(0, len(raw) - 1)))
        kind = draw(st.sampled_from(["replace", "insert", "cut"]))
        piece = draw(st.one_of(st.binary(min_size=1, max_size=4), FRAME_BYTES))
        if kind == "replace":
            raw[at : at + len(piece)] = piece
        elif kind == "insert":
            raw[at:at] = piece
        else:
            del raw[at : at + draw(st.integers(1, 40))]
    if draw(st.booleans()):
        return b"\x0b" + bytes(raw) + b"\x1c\x0d"
    return bytes(raw)


ARBITRARY = st.one_of(
    st.binary(max_size=3000),
    mutated_message(),
    st.lists(st.one_of(mutated_message(), FRAME_BYTES), max_size=4).map(b"".join),
)


async def exchange(port: int, payload: bytes) -> bytes:
    """Send the bytes, close our side, read all the listener says until it closes."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(payload)
        await writer.drain()
        writer.write_eof()
        return await asyncio.wait_for(reader.read(), 10)
    finally:
        writer.close()
        with contextlib.suppress(Exception):
            await writer.wait_closed()


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(payload=ARBITRARY)
async def test_arbitrary_bytes_never_break_the_listener(intake, payload):
    port = mllp_port(intake.runtime)
    async with MllpClient("127.0.0.1", port) as bystander:
        answer = await exchange(port, payload)

        accepted = [
            frame
            for frame in answer.split(b"\x1c\x0d")
            if ack_code(frame.decode("utf-8", "replace")) == "AA"
        ]
        async with intake.runtime.sessionmaker() as session:
            stored = {
                row.control_id
                for row in await session.scalars(
                    select(Hl7Message).where(Hl7Message.ack_code == "AA")
                )
            }
        for frame in accepted:
            msa = frame.decode("utf-8", "replace").split("\rMSA|", 1)[1]
            assert msa.split("|")[1].split("\r")[0] in stored, (frame, payload)

        # The connection opened before the garbage is still served, and so are new ones.
        probe = corpus("bad_missing_pid3.hl7")
        assert [ack_code(a) for a in await bystander.send(probe)] == ["AE"]
        assert await codes(port, probe) == ["AE"]
