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

from saathi_stack.bench_matching import online_decisions, reoptimisation
from saathi_stack.bench_mllp import EchoListener, IngestResult, drive
from saathi_stack.bench_reports import report_matching, report_mllp, report_stack
from saathi_stack.bench_stack import measure_stack, memory_mib, stack_config
from saathi_stack.stack import LocalStack


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
    stack = LocalStack(stack_config(data_dir))
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
