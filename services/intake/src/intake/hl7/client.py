"""An MLLP client: send one HL7 message, wait for its acknowledgement(s)."""

import asyncio
import contextlib
import ssl
from types import TracebackType
from typing import Self

from intake.hl7.ack import ack_code, msa_field
from intake.hl7.codec import raw_header_field
from intake.hl7.listener import END_BLOCK, START_BLOCK

__all__ = ["MllpClient", "ack_code", "msa_field"]

_FINAL = ("AA", "AE", "AR", "CR", "CE")


def _final_after_commit(raw: bytes) -> bool:
    """Whether a CA is the last answer (enhanced mode without an application ACK wanted).

    Only MSH is read, by hand: parsing the whole message would cost more than sending it.
    """
    accept = raw_header_field(raw, 15).upper()
    application = raw_header_field(raw, 16).upper()
    return bool(accept or application) and application in (b"NE", b"ER")


class MllpClient:
    """One MLLP connection; messages are sent one at a time, each waiting for its answer."""

    def __init__(
        self, host: str, port: int, timeout_s: float = 10.0, tls: ssl.SSLContext | None = None
    ) -> None:
        self.host = host
        self.port = port
        self.timeout_s = timeout_s
        self.tls = tls
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def connect(self) -> Self:
        """Open the connection (raises TimeoutError or OSError if nobody listens)."""
        self._reader, self._writer = await asyncio.wait_for(
            asyncio.open_connection(self.host, self.port, ssl=self.tls), self.timeout_s
        )
        return self

    async def __aenter__(self) -> Self:
        return await self.connect()

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the connection."""
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(Exception):
                await self._writer.wait_closed()
            self._writer = None

    async def send(self, raw: bytes) -> list[str]:
        """Send one message (raw bytes, any encoding) and return the acknowledgements.

        Waits for the application ACK (or a commit reject); raises TimeoutError if none comes.
        """
        assert self._reader is not None and self._writer is not None, "not connected"
        self._writer.write(START_BLOCK + raw + END_BLOCK)
        await self._writer.drain()
        commit_is_final = _final_after_commit(raw)
        acks: list[str] = []
        while True:
            block = await asyncio.wait_for(self._reader.readuntil(END_BLOCK), self.timeout_s)
            ack = block[block.find(START_BLOCK) + 1 : -len(END_BLOCK)].decode("utf-8", "replace")
            acks.append(ack)
            code = ack_code(ack)
            if code in _FINAL or (code == "CA" and commit_is_final):
                return acks
