"""The MLLP listener: many connections, one message at a time per connection, raw bytes in."""

import asyncio
import contextlib
import logging
import ssl
import time
from collections.abc import Awaitable, Callable

from opentelemetry import trace
from prometheus_client import Gauge, Histogram

from intake.hl7.ack import ack_code
from shared.errors import StartupError
from shared.tracing import tracer

log = logging.getLogger(__name__)

START_BLOCK = b"\x0b"
END_BLOCK = b"\x1c\x0d"

Receive = Callable[[bytes, str | None], Awaitable[list[str]]]

MLLP_CONNECTIONS = Gauge("saathi_mllp_connections", "Open MLLP connections")
ACK_SECONDS = Histogram(
    "saathi_hl7_ack_seconds",
    "From a whole HL7 message received to its ACKs written (commit included), by the last "
    "ACK's code (AA, AE, AR, CA, CE, CR; none when MSH-15/16 asked for no ACK)",
    ["ack_code"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)
_ACK_CODES = frozenset({"AA", "AE", "AR", "CA", "CE", "CR"})


def frame(message: str) -> bytes:
    """An MLLP frame around one message (UTF-8: Saathi's ACKs are ASCII)."""
    return START_BLOCK + message.encode("utf-8") + END_BLOCK


class MllpListener:
    """Accepts MLLP connections and answers each framed message with the ACKs `receive` makes."""

    name = "mllp"

    def __init__(
        self,
        receive: Receive,
        host: str,
        port: int,
        max_message_bytes: int,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self._receive = receive
        self._tls = tls
        self._host = host
        self._port = port
        self._max = max_message_bytes
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task[None]] = set()
        self._busy: set[asyncio.Task[None]] = set()
        self._closing = False

    @property
    def port(self) -> int:
        """The bound port (useful when configured as 0)."""
        assert self._server is not None, "listener not started"
        return int(self._server.sockets[0].getsockname()[1])

    async def start(self) -> None:
        """Bind and start accepting; a busy port fails start-up with what to change."""
        try:
            self._server = await asyncio.start_server(
                self._accept, self._host, self._port, limit=self._max + 16, ssl=self._tls
            )
        except OSError as error:
            raise StartupError(
                f"intake: cannot listen for HL7 (MLLP) on {self._host}:{self._port} ({error}). "
                "Set INTAKE_MLLP_PORT to a free port, or INTAKE_MLLP_ENABLED=false."
            ) from None
        log.info("mllp listening", extra={"port": self.port, "tls": self._tls is not None})

    def health(self) -> tuple[bool, str]:
        """Listening or not, with the port and open connections."""
        if self._server is None or not self._server.is_serving():
            return False, "not listening"
        return True, f"port {self.port}, {len(self._connections)} connections"

    async def stop(self) -> None:
        """Stop accepting; let each connection finish the message it is on, then close."""
        if self._server is None:
            return
        self._server.close()
        self._closing = True
        for task in self._connections - self._busy:
            task.cancel()  # idle: waiting for a message that has not started
        await asyncio.wait_for(
            asyncio.gather(*self._connections, return_exceptions=True), timeout=30
        )
        await self._server.wait_closed()
        self._server = None

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        MLLP_CONNECTIONS.inc()
        try:
            await self._serve(reader, writer)
        except (asyncio.CancelledError, ConnectionError):
            pass
        except Exception:
            log.exception("mllp connection failed")
        finally:
            MLLP_CONNECTIONS.dec()
            self._connections.discard(task)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peername = writer.get_extra_info("peername")
        peer = str(peername[0]) if peername else None
        while True:
            try:
                block = await reader.readuntil(END_BLOCK)
            except asyncio.IncompleteReadError:
                return  # the peer closed the connection (a partial frame is not a message)
            except asyncio.LimitOverrunError:
                log.warning("mllp message larger than the limit; connection closed")
                return
            start = block.rfind(START_BLOCK)
            if start < 0:
                continue  # bytes outside a frame are noise between messages
            payload = block[start + 1 : -len(END_BLOCK)]
            task = asyncio.current_task()
            assert task is not None
            self._busy.add(task)  # a shutdown now waits for this message to be answered
            try:
                await self._answer(payload, peer, writer)
            finally:
                self._busy.discard(task)
            if self._closing:
                return

    async def _answer(self, payload: bytes, peer: str | None, writer: asyncio.StreamWriter) -> None:
        """Answer one message inside a server span (the HTTP path's twin), so the events it
        stages carry its trace; `receive` names the span by message type once it knows it."""
        started = time.perf_counter()
        with tracer().start_as_current_span(
            "MLLP", kind=trace.SpanKind.SERVER, attributes={"network.protocol.name": "mllp"}
        ) as span:
            acks = await self._receive(payload, peer)
            writer.write(b"".join(frame(ack) for ack in acks))
            await writer.drain()
            code = ack_code(acks[-1]) if acks else "none"
            code = code if code in _ACK_CODES or code == "none" else "other"
            span.set_attribute("hl7.ack_code", code)
        ACK_SECONDS.labels(code).observe(time.perf_counter() - started)
