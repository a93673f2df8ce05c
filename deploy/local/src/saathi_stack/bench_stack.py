"""Whole-stack benchmark: admissions through the four services until matching publishes
`match.made`, beside a raw JetStream 2-hop baseline."""

import argparse
import asyncio
import contextlib
import json
import os
import time
from pathlib import Path

import httpx
import nats
from nats.aio.msg import Msg
from rich.progress import Progress

from saathi_stack.bench_baseline import Baseline
from saathi_stack.bench_stats import LatencyRecorder, Throughput, paced
from saathi_stack.demo import BRANCHES
from saathi_stack.nats_server import EmbeddedNats
from saathi_stack.ports import free_port, free_ports
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


async def throughput(
    client: httpx.AsyncClient,
    stack: LocalStack,
    watcher: MatchWatcher,
    count: int,
    progress: Progress,
) -> Throughput:
    """Admissions sent in batches of 100 by 4 concurrent senders, until every one is matched."""
    task = progress.add_task(f"Saathi: {count:,} admissions end to end", total=count)
    batches = [list(range(start, min(start + 100, count))) for start in range(0, count, 100)]
    queue: asyncio.Queue[list[int]] = asyncio.Queue()
    for batch in batches:
        queue.put_nowait(batch)

    async def sender() -> None:
        while not queue.empty():
            batch = queue.get_nowait()
            response = await client.post(
                f"{stack.url('intake')}/admissions/batch",
                json={"admissions": [_admission("T", n) for n in batch]},
            )
            response.raise_for_status()

    started = time.perf_counter()
    senders = asyncio.gather(*(sender() for _ in range(4)))
    while len(watcher.arrived) < count:
        progress.update(task, completed=len(watcher.arrived))
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


def stack_config(data_dir: Path) -> StackConfig:
    """A local stack on free ports; a database per service from the template when set."""
    template = os.environ.get("SAATHI_DATABASE_URL_TEMPLATE")
    ports = free_ports(2 + len(SERVICES))
    return StackConfig(
        data_dir=data_dir,
        nats_port=ports[0],
        mllp_port=ports[1],
        ports=dict(zip(SERVICES, ports[2:], strict=True)),
        database_url=(lambda s: template.format(service=s)) if template else None,
        extra_env={f"{s.upper()}_LOG_LEVEL": "WARNING" for s in SERVICES},
    )


async def measure_stack(args: argparse.Namespace, data_dir: Path, progress: Progress) -> dict:
    """Admissions through the whole stack, beside a raw JetStream 2-hop baseline."""
    server = EmbeddedNats(free_port(), data_dir / "baseline-nats")
    server.start()
    try:
        baseline = Baseline(server.url)
        base_throughput = await baseline.run(args.admissions, args.rate, args.seconds, progress)
    finally:
        server.stop()

    stack = LocalStack(stack_config(data_dir / "stack"))
    starting = progress.add_task("starting the stack (4 services, embedded NATS)", total=None)
    stack.start()
    progress.update(starting, total=1, completed=1)
    watcher = MatchWatcher()
    try:
        await watcher.start(stack.nats_url)
        limits = httpx.Limits(max_connections=400, max_keepalive_connections=50)
        async with httpx.AsyncClient(
            timeout=httpx.Timeout(120, pool=None), limits=limits, headers=stack.auth_headers()
        ) as client:
            places = args.admissions + int(args.rate * args.seconds)
            await seed_pool(client, stack, args.mentors, -(-places // args.mentors))
            saathi_throughput = await throughput(client, stack, watcher, args.admissions, progress)
            progress.console.print(
                f"Saathi: {saathi_throughput.per_second:,.0f} admissions/s sustained "
                f"(raw 2-hop baseline {base_throughput.per_second:,.0f}/s)"
            )
            await wait_until_idle(stack.nats_url)  # measure latency on a quiet stack
            saathi_latency, achieved_rate = await latency(
                client, stack, watcher, args.rate, args.seconds, progress
            )
        memory = memory_mib(stack)
    finally:
        await watcher.stop()
        stack.stop()
    return {
        "admissions": args.admissions,
        "rate": args.rate,
        "mentors": args.mentors,
        "saathi_per_s": saathi_throughput.per_second,
        "baseline_per_s": base_throughput.per_second,
        "saathi_p50_ms": saathi_latency.percentile_ms(50),
        "saathi_p99_ms": saathi_latency.percentile_ms(99),
        "baseline_p50_ms": baseline.latency.percentile_ms(50),
        "baseline_p99_ms": baseline.latency.percentile_ms(99),
        "latency_samples": len(saathi_latency.samples),
        "achieved_rate": achieved_rate,
        "memory_mib": memory,
    }
