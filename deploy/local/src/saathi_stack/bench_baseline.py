"""Raw JetStream 2-hop baseline: nats-py consume → publish → consume, no database, no framework."""

import asyncio
import contextlib
import time
from collections.abc import Callable

import nats
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, StorageType, StreamConfig
from rich.progress import Progress

from saathi_stack.bench_stats import LatencyRecorder, Throughput, paced

HOP, SINK = "BENCH_HOP", "BENCH_SINK"
PAYLOAD = b"x" * 400  # about the size of an episode event


async def _declare(js: JetStreamContext) -> None:
    for name, subject in ((HOP, "bench.hop.>"), (SINK, "bench.sink.>")):
        with contextlib.suppress(Exception):
            await js.delete_stream(name)
        await js.add_stream(StreamConfig(name=name, subjects=[subject], storage=StorageType.FILE))
        await js.add_consumer(
            name, ConsumerConfig(durable_name=name.lower(), ack_policy=AckPolicy.EXPLICIT)
        )


async def _pull_loop(js: JetStreamContext, stream: str, handle: Callable[[list], object]) -> None:
    """The same fetch pattern Saathi's consumer uses: wait for one, then take what is there."""
    subscription = await js.pull_subscribe_bind(durable=stream.lower(), stream=stream)
    while True:
        try:
            messages = await subscription.fetch(batch=1, timeout=1.0)
        except TimeoutError:
            continue
        with contextlib.suppress(TimeoutError):
            messages += await subscription.fetch(batch=199, timeout=0.002)
        result = handle(messages)
        if asyncio.iscoroutine(result):
            await result
        for message in messages:
            await message.ack()


class Baseline:
    """Publisher → hop (consume, publish onwards) → sink, all on one connection."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._sent: dict[str, float] = {}
        self._arrived = 0
        self.latency = LatencyRecorder()

    async def _forward(self, js: JetStreamContext, messages: list) -> None:
        await asyncio.gather(
            *(js.publish("bench.sink." + m.subject.rsplit(".", 1)[1], m.data) for m in messages)
        )

    def _arrive(self, messages: list) -> None:
        now = time.perf_counter()
        for message in messages:
            sent = self._sent.pop(message.subject.rsplit(".", 1)[1], None)
            if sent is not None:
                self.latency.add(now - sent)
        self._arrived += len(messages)

    async def run(self, count: int, rate: float, seconds: float, progress: Progress) -> Throughput:
        """Throughput of `count` messages, then latencies at `rate`/s for `seconds`."""
        connection = await nats.connect(self._url)
        js = connection.jetstream()
        await _declare(js)
        loops = [
            asyncio.create_task(_pull_loop(js, HOP, lambda ms: self._forward(js, ms))),
            asyncio.create_task(_pull_loop(js, SINK, self._arrive)),
        ]
        try:
            task = progress.add_task("raw JetStream 2-hop: throughput", total=count)
            started = time.perf_counter()
            for first in range(0, count, 500):
                await asyncio.gather(
                    *(
                        js.publish(f"bench.hop.t{i}", PAYLOAD)
                        for i in range(first, min(first + 500, count))
                    )
                )
                progress.update(task, completed=self._arrived)
            while self._arrived < count:
                progress.update(task, completed=self._arrived)
                await asyncio.sleep(0.01)
            throughput = Throughput(count, time.perf_counter() - started)
            progress.update(task, completed=count)

            probes = int(rate * seconds)
            task = progress.add_task(f"raw JetStream 2-hop: latency at {rate:.0f}/s", total=probes)
            async for i in paced(rate, probes):
                self._sent[f"l{i}"] = time.perf_counter()
                await js.publish(f"bench.hop.l{i}", PAYLOAD)
                progress.update(task, completed=i + 1)
            deadline = time.perf_counter() + 30
            while self._sent and time.perf_counter() < deadline:  # noqa: ASYNC110 - polls a dict
                await asyncio.sleep(0.01)
            return throughput
        finally:
            for loop in loops:
                loop.cancel()
            await asyncio.gather(*loops, return_exceptions=True)
            await connection.close()
