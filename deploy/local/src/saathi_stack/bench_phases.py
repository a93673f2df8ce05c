"""The whole-stack phases of one run on one database: sustained, latency and backlog, with the
CPU each service spent in each phase, beside the raw JetStream 2-hop baseline."""

import argparse
from pathlib import Path

import httpx
from rich.progress import Progress

from saathi_stack.bench_backlog import backlog
from saathi_stack.bench_baseline import Baseline
from saathi_stack.bench_cpu import phase_cpu, stack_cpu_seconds
from saathi_stack.bench_databases import UrlForService
from saathi_stack.bench_profile import Profiler
from saathi_stack.bench_stack import (
    MatchWatcher,
    latency,
    memory_mib,
    seed_pool,
    stack_config,
    throughput,
    wait_until_idle,
)
from saathi_stack.nats_server import EmbeddedNats
from saathi_stack.ports import free_port
from saathi_stack.stack import LocalStack


async def measure_baseline(args: argparse.Namespace, data_dir: Path, progress: Progress) -> dict:
    """The raw JetStream 2-hop baseline on its own embedded NATS (no database)."""
    server = EmbeddedNats(free_port(), data_dir / "baseline-nats")
    server.start()
    try:
        baseline = Baseline(server.url)
        base_throughput = await baseline.run(args.admissions, args.rate, args.seconds, progress)
    finally:
        server.stop()
    return {
        "per_s": base_throughput.per_second,
        "p50_ms": baseline.latency.percentile_ms(50),
        "p99_ms": baseline.latency.percentile_ms(99),
    }


async def measure_stack(
    args: argparse.Namespace,
    data_dir: Path,
    progress: Progress,
    database: str,
    database_url: UrlForService,
) -> dict:
    """Start the stack on `database`, run its phases, stop it; the figures of each phase."""
    stack = LocalStack(stack_config(data_dir, database_url))
    starting = progress.add_task(f"starting the stack on {database}", total=None)
    stack.start()
    progress.update(starting, total=1, completed=1)
    figures: dict = {"admissions": args.admissions, "rate": args.rate, "mentors": args.mentors}
    figures["startup_cpu_s"] = stack_cpu_seconds(stack)
    watcher = MatchWatcher()
    try:
        await watcher.start(stack.nats_url)
        limits = httpx.Limits(max_connections=400, max_keepalive_connections=50)
        async with httpx.AsyncClient(
            timeout=httpx.Timeout(120, pool=None), limits=limits, headers=stack.auth_headers()
        ) as client:
            places = args.admissions + int(args.rate * args.seconds) + args.backlog
            await seed_pool(client, stack, args.mentors, -(-places // args.mentors))
            figures.update(
                await _timed_phases(
                    args, stack, client, watcher, progress, database, figures["startup_cpu_s"]
                )
            )
        figures["memory_mib"] = memory_mib(stack)
    finally:
        await watcher.stop()
        stack.stop()
    return figures


async def _timed_phases(
    args: argparse.Namespace,
    stack: LocalStack,
    client: httpx.AsyncClient,
    watcher: MatchWatcher,
    progress: Progress,
    database: str,
    startup_cpu: dict[str, float],
) -> dict:
    profiler = Profiler(args.profile_dir / database) if args.profile else None
    before = stack_cpu_seconds(stack)
    if profiler:
        profiler.start(stack)
    sustained = await throughput(client, stack, watcher, args.admissions, progress)
    cpu = {"sustained": phase_cpu(before, stack_cpu_seconds(stack), args.admissions)}
    figures: dict = {"saathi_per_s": sustained.per_second}
    if profiler:
        figures["profiles"] = profiler.stop()
    progress.console.print(f"{database}: {sustained.per_second:,.0f} admissions/s sustained")
    await wait_until_idle(stack.nats_url)  # measure latency on a quiet stack
    before = stack_cpu_seconds(stack)
    recorder, achieved_rate = await latency(
        client, stack, watcher, args.rate, args.seconds, progress
    )
    cpu["latency"] = phase_cpu(before, stack_cpu_seconds(stack), len(recorder.samples))
    figures.update(
        saathi_p50_ms=recorder.percentile_ms(50),
        saathi_p99_ms=recorder.percentile_ms(99),
        latency_samples=len(recorder.samples),
        achieved_rate=achieved_rate,
    )
    if args.backlog:
        await wait_until_idle(stack.nats_url)
        figures["backlog"] = await backlog(
            client, stack, watcher, args.backlog, progress, startup_cpu
        )
        cpu.update(figures["backlog"].pop("cpu"))
    figures["cpu"] = cpu
    return figures
