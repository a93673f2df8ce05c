"""MLLP ingest benchmark: A01s over 1 and 4 connections, each ACK awaited before the next.

Saathi's intake (ACK after commit) is measured beside an echo listener that answers at once
without storing anything: the floor set by framing, sockets and the client.
"""

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass

from rich.progress import Progress

from intake.hl7.client import MllpClient, ack_code
from intake.hl7.listener import END_BLOCK, frame
from saathi_stack.bench_stats import LatencyRecorder, Throughput
from saathi_stack.hl7_samples import admission

ECHO_ACK = "MSH|^~\\&|ECHO|ECHO|||20260101000000||ACK^A01^ACK|E1|P|2.5.1\rMSA|AA|X\r"


@dataclass
class IngestResult:
    """Throughput and ACK latency of one run."""

    connections: int
    throughput: Throughput
    latency: LatencyRecorder


def message(tag: str, n: int) -> bytes:
    """A unique A01 (new patient, new visit): the most work intake does per message."""
    return admission(
        control_id=f"BENCH-{tag}-{n}",
        mrn=f"BM{tag}{n}",
        visit=f"BV{tag}{n}",
        branch="kol-salt-lake",
        ward="ward-a",
        family="Benchpatient",
        given=f"N{n}",
        language="bn",
    )


async def drive(
    port: int,
    connections: int,
    count: int,
    tag: str,
    progress: Progress,
    label: str,
    make: Callable[[str, int], bytes] = message,
) -> IngestResult:
    """Send `count` messages spread over `connections`, each waiting for its ACK."""
    task = progress.add_task(label, total=count)
    latency = LatencyRecorder()
    refused: list[str] = []

    async def connection(index: int) -> None:
        async with MllpClient("127.0.0.1", port) as client:
            for n in range(index, count, connections):
                raw = make(tag, n)
                sent = time.perf_counter()
                acks = await client.send(raw)
                latency.add(time.perf_counter() - sent)
                if ack_code(acks[-1]) != "AA":
                    refused.append(ack_code(acks[-1]))
                progress.advance(task)

    started = time.perf_counter()
    await asyncio.gather(*(connection(i) for i in range(connections)))
    elapsed = time.perf_counter() - started
    if refused:
        raise RuntimeError(f"{len(refused)} messages were not accepted (first: {refused[0]})")
    return IngestResult(connections, Throughput(count, elapsed), latency)


class EchoListener:
    """Answers every MLLP frame with a fixed AA at once (the baseline)."""

    def __init__(self) -> None:
        self._server: asyncio.Server | None = None

    async def start(self) -> int:
        """Listen on a free port; return it."""

        async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            try:
                while True:
                    await reader.readuntil(END_BLOCK)
                    writer.write(frame(ECHO_ACK))
                    await writer.drain()
            except (asyncio.IncompleteReadError, ConnectionError):
                writer.close()

        self._server = await asyncio.start_server(answer, "127.0.0.1", 0)
        return int(self._server.sockets[0].getsockname()[1])

    async def stop(self) -> None:
        """Stop listening."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
