"""HL7 test helpers: the committed corpus and sending over a real MLLP socket."""

from pathlib import Path

from intake.hl7.client import MllpClient, ack_code

CORPUS = Path(__file__).parent.parent / "corpus" / "hl7"


def corpus(name: str) -> bytes:
    """A committed corpus message, byte for byte."""
    return (CORPUS / name).read_bytes()


async def send(port: int, raw: bytes) -> list[str]:
    """Send one message on a fresh connection; its ACKs."""
    async with MllpClient("127.0.0.1", port) as client:
        return await client.send(raw)


async def codes(port: int, raw: bytes) -> list[str]:
    """MSA-1 codes of the ACKs to one message."""
    return [ack_code(ack) for ack in await send(port, raw)]
