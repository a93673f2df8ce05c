"""`saathi-bench`: admissions through the whole stack, beside a raw JetStream baseline."""

import argparse
import asyncio
import contextlib
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import nats
from nats.aio.msg import Msg
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from saathi_stack.bench_baseline import Baseline
from saathi_stack.bench_matching import online_decisions, reoptimisation
from saathi_stack.bench_mllp import EchoListener, IngestResult, drive
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


def _stack_config(data_dir: Path) -> StackConfig:
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


def _ingest_figures(result: IngestResult) -> dict:
    return {
        "per_s": result.throughput.per_second,
        "p50_ms": result.latency.percentile_ms(50),
        "p99_ms": result.latency.percentile_ms(99),
    }


async def measure_mllp(args: argparse.Namespace, data_dir: Path, progress: Progress) -> dict:
    """HL7 over MLLP into intake alone (its own NATS and database), beside an echo listener."""
    figures: dict[str, Any] = {"saathi": {}, "echo": {}}
    echo = EchoListener()
    echo_port = await echo.start()
    try:
        for connections in (1, 4):
            label = f"echo baseline: {args.hl7_messages:,} messages, {connections} connection(s)"
            result = await drive(
                echo_port, connections, args.hl7_messages, f"E{connections}", progress, label
            )
            figures["echo"][str(connections)] = _ingest_figures(result)
    finally:
        await echo.stop()
    stack = LocalStack(_stack_config(data_dir))
    starting = progress.add_task("starting intake alone (embedded NATS)", total=None)
    stack.start(services=("intake",))
    progress.update(starting, total=1, completed=1)
    try:
        for connections in (1, 4):
            label = f"Saathi MLLP: {args.hl7_messages:,} A01s, {connections} connection(s)"
            result = await drive(
                stack.config.mllp_port,
                connections,
                args.hl7_messages,
                f"S{connections}",
                progress,
                label,
            )
            figures["saathi"][str(connections)] = _ingest_figures(result)
        figures["memory_mib"] = memory_mib(stack)["intake"]
    finally:
        stack.stop()
    return figures


async def measure(args: argparse.Namespace, data_dir: Path, console: Console) -> dict:
    """Run the phases asked for; return the figures."""
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console) as progress:
        results: dict = {"database": _database_name(), "cores": os.cpu_count()}
        if args.only in ("all", "mllp"):
            results["mllp"] = await measure_mllp(args, data_dir / "mllp", progress)
        if args.only in ("all", "matching"):
            (data_dir / "matching").mkdir(parents=True, exist_ok=True)
            task = progress.add_task(
                "matching: re-optimising 10,000 patients over 2,000 mentors", total=None
            )
            results["matching"] = {
                "reoptimisation": reoptimisation(10_000, 2_000, 5),
                "online": await online_decisions(data_dir / "matching", 2_000, 500, progress),
            }
            progress.update(task, total=1, completed=1)
        if args.only in ("all", "stack"):
            results["stack"] = await measure_stack(args, data_dir / "stack", progress)
    return results


def _database_name() -> str:
    return "postgresql" if os.environ.get("SAATHI_DATABASE_URL_TEMPLATE") else "sqlite"


async def measure_stack(args: argparse.Namespace, data_dir: Path, progress: Progress) -> dict:
    """Admissions through the whole stack, beside a raw JetStream 2-hop baseline."""
    server = EmbeddedNats(free_port(), data_dir / "baseline-nats")
    server.start()
    try:
        baseline = Baseline(server.url)
        base_throughput = await baseline.run(args.admissions, args.rate, args.seconds, progress)
    finally:
        server.stop()

    stack = LocalStack(_stack_config(data_dir / "stack"))
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


def report_stack(results: dict, database: str, console: Console) -> None:
    """The whole-stack table."""
    ratio = results["saathi_per_s"] / results["baseline_per_s"]
    table = Table(
        title=f"Saathi benchmark — {results['admissions']:,} admissions, {database}, "
        f"{results['mentors']} mentors, {os.cpu_count()} cores"
    )
    for column in (
        "measure",
        "Saathi (4 services)",
        "raw JetStream 2-hop",
        "ratio",
        "target",
        "met",
    ):
        table.add_column(column, justify="right")

    def met(ok: bool) -> str:
        return "[green]yes[/]" if ok else "[red]no[/]"

    table.add_row(
        "sustained admissions/s",
        f"{results['saathi_per_s']:,.0f}",
        f"{results['baseline_per_s']:,.0f}",
        f"{ratio:.2f}",
        "≥ 1,000/s; ratio ≥ 0.33",
        met(results["saathi_per_s"] >= 1000 and ratio >= 0.33),
    )
    table.add_row(
        "admissions/s offered in the latency phase",
        f"{results['achieved_rate']:,.0f} of {results['rate']:.0f}",
        f"{results['rate']:.0f}",
        "",
        "",
        "",
    )
    table.add_row(
        f"p50 accepted → match made at {results['rate']:.0f}/s",
        f"{results['saathi_p50_ms']:.1f} ms",
        f"{results['baseline_p50_ms']:.1f} ms",
        "",
        "",
        "",
    )
    table.add_row(
        f"p99 accepted → match made at {results['rate']:.0f}/s",
        f"{results['saathi_p99_ms']:.1f} ms",
        f"{results['baseline_p99_ms']:.1f} ms",
        "",
        "≤ 25 ms",
        met(results["saathi_p99_ms"] <= 25),
    )
    for name, (rss, peak) in results["memory_mib"].items():
        table.add_row(f"memory {name}", f"{rss:.0f} MiB (peak {peak:.0f})", "", "", "", "")
    console.print(table)


def report_matching(results: dict, console: Console) -> None:
    """The matching table."""
    table = Table(title=f"Matching — 2,000 mentors, SQLite, {os.cpu_count()} cores")
    for column in ("measure", "Saathi", "baseline", "target", "met"):
        table.add_column(column, justify="right")
    online, reopt = results["online"], results["reoptimisation"]
    rules = (
        f"{online['baseline_p50_ms']:.2f} / {online['baseline_p99_ms']:.2f} ms (rules, no index)"
    )
    table.add_row(
        "online decision p50 / p99 (pool index ranks and explains)",
        f"{online['decision_p50_ms']:.2f} / {online['decision_p99_ms']:.2f} ms",
        rules,
        "p99 ≤ 2 ms",
        "[green]yes[/]" if online["decision_p99_ms"] <= 2 else "[red]no[/]",
    )
    table.add_row(
        "whole admission transaction p50 / p99 (needs, decide, claim, record, commit)",
        f"{online['p50_ms']:.2f} / {online['p99_ms']:.2f} ms",
        rules,
        "—",
        "",
    )
    table.add_row(
        "pool index memory (2,000 mentors)", f"{online['index_mib']:.2f} MiB", "", "reported", ""
    )
    flow_n, flow_score = reopt["flow_objective"]
    greedy_n, greedy_score = reopt["greedy_objective"]
    table.add_row(
        "re-optimise 10,000 waiting over 2,000 mentors (capacity 5)",
        f"{reopt['flow_s']:.2f} s: {flow_n:,} matched, score+fairness {flow_score:,.0f}",
        f"greedy {reopt['greedy_s']:.2f} s: {greedy_n:,} matched, {greedy_score:,.0f}",
        "≤ 1 s, ≥ greedy",
        "[green]yes[/]"
        if reopt["flow_s"] <= 1 and (flow_n, flow_score) >= (greedy_n, greedy_score)
        else "[red]no[/]",
    )
    table.add_row(
        "re-optimisation peak memory (traced Python allocations)",
        f"{reopt['flow_peak_mib']:.1f} MiB",
        "",
        "reported",
        "",
    )
    console.print(table)


def report_mllp(results: dict, database: str, console: Console) -> None:
    """The MLLP ingest table."""
    table = Table(
        title=f"HL7 v2 over MLLP into intake — ACK after commit, {database}, {os.cpu_count()} cores"
    )
    for column in ("measure", "Saathi intake", "echo listener", "ratio", "target", "met"):
        table.add_column(column, justify="right")
    saathi, echo = results["saathi"], results["echo"]
    for connections in ("1", "4"):
        ours, floor = saathi[connections], echo[connections]
        table.add_row(
            f"messages/s ({connections} conn.)",
            f"{ours['per_s']:,.0f}",
            f"{floor['per_s']:,.0f}",
            f"{ours['per_s'] / floor['per_s']:.2f}",
            "≥ 1,000/s" if connections == "4" else "",
            ("[green]yes[/]" if ours["per_s"] >= 1000 else "[red]no[/]")
            if connections == "4"
            else "",
        )
        table.add_row(
            f"ACK p50 / p99 ({connections} conn.)",
            f"{ours['p50_ms']:.1f} / {ours['p99_ms']:.1f} ms",
            f"{floor['p50_ms']:.2f} / {floor['p99_ms']:.2f} ms",
            "",
            "p99 ≤ 10 ms",
            "[green]yes[/]" if ours["p99_ms"] <= 10 else "[red]no[/]",
        )
    rss, peak = results["memory_mib"]
    table.add_row("memory intake", f"{rss:.0f} MiB (peak {peak:.0f})", "", "", "", "")
    console.print(table)


def main() -> None:
    """Entry point."""
    parser = argparse.ArgumentParser(prog="saathi-bench", description=__doc__)
    parser.add_argument(
        "--admissions", type=int, default=int(os.environ.get("BENCH_ADMISSIONS", "20000"))
    )
    parser.add_argument(
        "--rate", type=float, default=200.0, help="admissions/s for the latency phase"
    )
    parser.add_argument("--seconds", type=float, default=15.0, help="length of the latency phase")
    parser.add_argument("--mentors", type=int, default=500, help="size of the shared mentor pool")
    parser.add_argument(
        "--hl7-messages", type=int, default=3000, help="A01s per MLLP run (1 and 4 connections)"
    )
    parser.add_argument(
        "--only",
        choices=("all", "mllp", "matching", "stack"),
        default="all",
        help="which phases to run",
    )
    parser.add_argument("--json", type=Path, default=Path(".bench/results.json"))
    args = parser.parse_args()
    console = Console()
    with tempfile.TemporaryDirectory(prefix="saathi-bench-") as tmp:
        results = asyncio.run(measure(args, Path(tmp), console))
    if "mllp" in results:
        report_mllp(results["mllp"], results["database"], console)
    if "matching" in results:
        report_matching(results["matching"], console)
    if "stack" in results:
        report_stack(results["stack"], results["database"], console)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2))
    console.print(f"figures written to {args.json}")


if __name__ == "__main__":
    main()
