"""Whole-stack benchmark parts: admissions sent to intake, `match.made` watched on NATS,
the sustained and latency phases, and the stack's memory."""

import asyncio
import contextlib
import json
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import nats
from nats.aio.msg import Msg
from rich.progress import Progress

from saathi_stack.bench_stats import LatencyRecorder, Throughput, paced
from saathi_stack.demo import BRANCHES
from saathi_stack.ports import free_ports
from saathi_stack.stack import SERVICES, LocalStack, StackConfig
from shared.streams import STREAMS

MATCH_MADE = "matching.match.made.v1"
CONSENT = {
    "status": "given",
    "text_version": "v1",
    "text_language": "bn",
    "recorded_by": "bench",
}


def _admission(tag: str, n: int) -> dict:
    return {
        "mrn": f"B{tag}{n}",
        "given_name": "Bench",
        "family_name": f"Patient{n}",
        "branch": BRANCHES[n % len(BRANCHES)],
        "ward": "ward-a",
        "visit_number": f"BV{tag}{n}",
        "language": "bn",
        "consent": CONSENT,
    }


class MatchWatcher:
    """Sees every match.made on NATS and when it arrived."""

    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}
        self._connection: nats.NATS | None = None
        self._changed = asyncio.Event()

    async def start(self, url: str) -> None:
        """Subscribe."""
        self._connection = await nats.connect(url)

        async def seen(msg: Msg) -> None:
            self.arrived[json.loads(msg.data)["data"]["episode_id"]] = time.perf_counter()
            self._changed.set()

        await self._connection.subscribe(MATCH_MADE, cb=seen)

    async def wait_for(self, episodes: set[str], timeout_s: float) -> None:
        """Until every episode in `episodes` was matched, or the timeout."""
        deadline = time.perf_counter() + timeout_s
        while not episodes <= self.arrived.keys() and time.perf_counter() < deadline:
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), 1.0)

    async def stop(self) -> None:
        """Unsubscribe."""
        if self._connection is not None:
            await self._connection.close()


async def seed_pool(
    client: httpx.AsyncClient, stack: LocalStack, mentors: int, capacity: int
) -> None:
    """A pool every admission can be matched from."""
    for n in range(mentors):
        response = await client.post(
            f"{stack.url('matching')}/mentors",
            json={
                "mentor_id": f"bench-{n}",
                "display_name": f"Bench mentor {n}",
                "languages": ["bn", "hi", "en"],
                "branches": list(BRANCHES),
                "capacity": capacity,
                "certifications": [
                    {"kind": kind, "issued_on": "2026-01-01", "expires_on": "2099-01-01"}
                    for kind in ("active_listening", "boundaries", "crisis_response", "ethics")
                ],
            },
        )
        response.raise_for_status()


async def send_in_batches(
    client: httpx.AsyncClient,
    stack: LocalStack,
    tag: str,
    count: int,
    batch_size: int = 100,
    senders: int = 4,
) -> None:
    """`count` admissions (MRNs tagged `tag`) to intake in batches, by concurrent senders."""
    queue: asyncio.Queue[range] = asyncio.Queue()
    for start in range(0, count, batch_size):
        queue.put_nowait(range(start, min(start + batch_size, count)))

    async def sender() -> None:
        while not queue.empty():
            batch = queue.get_nowait()
            response = await client.post(
                f"{stack.url('intake')}/admissions/batch",
                json={"admissions": [_admission(tag, n) for n in batch]},
            )
            response.raise_for_status()

    await asyncio.gather(*(sender() for _ in range(senders)))


async def throughput(
    client: httpx.AsyncClient,
    stack: LocalStack,
    watcher: MatchWatcher,
    count: int,
    progress: Progress,
) -> Throughput:
    """Admissions sent in batches of 100 by 4 concurrent senders, until every one is matched."""
    task = progress.add_task(f"Saathi: {count:,} admissions end to end", total=count)
    matched_before = len(watcher.arrived)
    started = time.perf_counter()
    senders = asyncio.ensure_future(send_in_batches(client, stack, "T", count))
    while len(watcher.arrived) - matched_before < count:
        progress.update(task, completed=len(watcher.arrived) - matched_before)
        await asyncio.sleep(0.05)
        if senders.done() and senders.exception():
            raise senders.exception()  # type: ignore[misc]
    await senders
    elapsed = max(watcher.arrived.values()) - started
    progress.update(task, completed=count)
    return Throughput(count, elapsed)


async def latency(
    client: httpx.AsyncClient,
    stack: LocalStack,
    watcher: MatchWatcher,
    rate: float,
    seconds: float,
    progress: Progress,
) -> tuple[LatencyRecorder, float]:
    """Admissions one by one at `rate`/s: from the intake's answer to match.made on NATS.

    At most 64 requests are in flight; if the stack cannot keep up, the offered rate drops,
    and the rate actually achieved is returned beside the latencies.
    """
    probes = int(rate * seconds)
    task = progress.add_task(f"Saathi: latency at {rate:.0f} admissions/s", total=probes)
    accepted: dict[str, float] = {}
    slots = asyncio.Semaphore(64)
    in_flight: set[asyncio.Task[None]] = set()

    async def admit(n: int) -> None:
        try:
            response = await client.post(
                f"{stack.url('intake')}/admissions", json=_admission("L", n)
            )
            response.raise_for_status()
            accepted[response.json()["episode"]["episode_id"]] = time.perf_counter()
        finally:
            slots.release()

    started = time.perf_counter()
    async for n in paced(rate, probes):
        await slots.acquire()
        request = asyncio.create_task(admit(n))
        in_flight.add(request)
        request.add_done_callback(in_flight.discard)
        progress.update(task, completed=n + 1)
    await asyncio.gather(*in_flight)
    achieved = probes / (time.perf_counter() - started)
    await watcher.wait_for(set(accepted), timeout_s=120)
    recorder = LatencyRecorder()
    for episode_id, at in accepted.items():
        if episode_id in watcher.arrived:
            recorder.add(max(0.0, watcher.arrived[episode_id] - at))
    return recorder, achieved


async def wait_until_idle(nats_url: str, timeout_s: float = 300) -> None:
    """Until every consumer of every Saathi stream has nothing pending (backlog drained)."""
    connection = await nats.connect(nats_url)
    js = connection.jetstream()
    deadline = time.perf_counter() + timeout_s
    try:
        while time.perf_counter() < deadline:
            pending = 0
            for spec in STREAMS:
                for consumer in await js.consumers_info(spec.name):
                    pending += (consumer.num_pending or 0) + (consumer.num_ack_pending or 0)
            if pending == 0:
                return
            await asyncio.sleep(0.2)
    finally:
        await connection.close()


def memory_mib(stack: LocalStack) -> dict[str, tuple[float, float]]:
    """Resident and peak memory of each service process, from /proc."""
    found = {}
    for name, process in stack.services.items():
        if process.process is None:
            continue
        fields = {}
        for line in Path(f"/proc/{process.process.pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = int(value.split()[0]) / 1024
        found[name] = (fields.get("VmRSS", float("nan")), fields.get("VmHWM", float("nan")))
    return found


def stack_config(data_dir: Path, database_url: Callable[[str], str] | None = None) -> StackConfig:
    """A local stack on free ports; SQLite files unless `database_url` names each database."""
    ports = free_ports(2 + len(SERVICES))
    return StackConfig(
        data_dir=data_dir,
        nats_port=ports[0],
        mllp_port=ports[1],
        ports=dict(zip(SERVICES, ports[2:], strict=True)),
        database_url=database_url,
        extra_env={f"{s.upper()}_LOG_LEVEL": "WARNING" for s in SERVICES},
    )
