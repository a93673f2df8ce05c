"""`saathi-bench`: admissions through the whole stack, beside a raw JetStream baseline."""

import argparse
import asyncio
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from saathi_stack.bench_databases import DEFAULT_POSTGRES_URL, UrlForService, database_urls
from saathi_stack.bench_history import append_history, run_context
from saathi_stack.bench_matching import online_decisions, reoptimisation
from saathi_stack.bench_mllp import EchoListener, IngestResult, drive
from saathi_stack.bench_phases import measure_baseline, measure_stack
from saathi_stack.bench_reports import report
from saathi_stack.bench_stack import memory_mib, stack_config
from saathi_stack.stack import LocalStack


def _ingest_figures(result: IngestResult) -> dict:
    return {
        "per_s": result.throughput.per_second,
        "p50_ms": result.latency.percentile_ms(50),
        "p99_ms": result.latency.percentile_ms(99),
    }


async def measure_mllp(
    args: argparse.Namespace, data_dir: Path, progress: Progress, database_url: UrlForService
) -> dict:
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
    stack = LocalStack(stack_config(data_dir, database_url))
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


def databases(args: argparse.Namespace) -> tuple[str, ...]:
    """The databases the stack phases run on, in the order of the table's columns."""
    return ("sqlite", "postgresql") if args.database == "both" else (args.database,)


async def measure(args: argparse.Namespace, data_dir: Path, console: Console) -> dict:
    """Run the phases asked for; return the figures."""
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console) as progress:
        results: dict = {**run_context(), "databases": list(databases(args))}
        if args.only in ("all", "mllp"):
            async with database_urls(databases(args)[0], args.postgres_url) as urls:
                results["mllp"] = await measure_mllp(args, data_dir / "mllp", progress, urls)
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
            results["baseline"] = await measure_baseline(args, data_dir / "baseline", progress)
            results["stack"] = {}
            for database in databases(args):
                async with database_urls(database, args.postgres_url) as urls:
                    results["stack"][database] = await measure_stack(
                        args, data_dir / f"stack-{database}", progress, database, urls
                    )
    return results


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line (`saathi-bench --help`)."""
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
        "--backlog",
        type=int,
        default=int(os.environ.get("BENCH_BACKLOG", "100000")),
        help="admissions queued while matching, sessions and aftercare are stopped (0: skip)",
    )
    parser.add_argument(
        "--hl7-messages", type=int, default=3000, help="A01s per MLLP run (1 and 4 connections)"
    )
    parser.add_argument(
        "--only",
        choices=("all", "mllp", "matching", "stack"),
        default="all",
        help="which phases to run",
    )
    parser.add_argument(
        "--database",
        choices=("sqlite", "postgresql", "both"),
        default="postgresql" if os.environ.get("SAATHI_DATABASE_URL_TEMPLATE") else "sqlite",
        help="where the services keep their data; both: the stack phases on each, side by side",
    )
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("SAATHI_BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL),
        help="PostgreSQL server where the bench creates (and drops) a database per service",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="sample each service with py-spy during the sustained phase (needs ptrace)",
    )
    parser.add_argument("--profile-dir", type=Path, default=Path(".bench/profiles"))
    parser.add_argument("--json", type=Path, default=Path(".bench/results.json"))
    return parser.parse_args(argv)


def main() -> None:
    """Entry point."""
    args = parse_args()
    console = Console()
    with tempfile.TemporaryDirectory(prefix="saathi-bench-") as tmp:
        results = asyncio.run(measure(args, Path(tmp), console))
    report(results, console)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2))
    history = args.json.parent / "history.jsonl"
    append_history(results, history)
    console.print(f"figures written to {args.json}; run appended to {history}")
    if args.profile:
        console.print(f"profiles (folded stacks and top functions) in {args.profile_dir}/")


if __name__ == "__main__":
    main()
