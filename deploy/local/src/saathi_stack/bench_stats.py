"""Small measuring tools for the benchmark: pacing, latency percentiles, throughput."""

import asyncio
import statistics
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field


async def paced(rate_per_s: float, count: int) -> AsyncIterator[int]:
    """Yield 0..count-1 at a steady rate (catching up if the consumer of the loop runs late)."""
    started = time.perf_counter()
    for index in range(count):
        delay = started + index / rate_per_s - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        yield index


@dataclass
class LatencyRecorder:
    """Collects latencies in seconds and reports percentiles in milliseconds."""

    samples: list[float] = field(default_factory=list)

    def add(self, seconds: float) -> None:
        """Record one latency."""
        self.samples.append(seconds)

    def percentile_ms(self, percent: float) -> float:
        """The given percentile in ms (nan when empty)."""
        if len(self.samples) < 2:
            return float("nan") if not self.samples else self.samples[0] * 1000
        cuts = statistics.quantiles(self.samples, n=1000, method="inclusive")
        return cuts[min(int(percent * 10) - 1, len(cuts) - 1)] * 1000


@dataclass(frozen=True)
class Throughput:
    """Items completed over a wall-clock span."""

    items: int
    seconds: float

    @property
    def per_second(self) -> float:
        """Items per second."""
        return self.items / self.seconds if self.seconds else float("nan")
