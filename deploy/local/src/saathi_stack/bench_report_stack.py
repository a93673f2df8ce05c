"""The whole-stack tables: each database side by side beside the raw 2-hop baseline, and the
CPU each service spent in each phase."""

import math

from rich.console import Console
from rich.table import Table

SUSTAINED_TARGET = {"sqlite": 1000, "postgresql": 500}  # admissions/s (issue 18)
P99_TARGET_MS = 50
DRAIN_TARGET_S = 120
RSS_TARGET_MIB = 150
PHASES = ("sustained", "latency", "backlog queue", "backlog drain")
LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def graded(text: str, ok: bool) -> str:
    """A figure in green when it meets its target, red when not."""
    return f"[green]{text}[/]" if ok else f"[red]{text}[/]"


def _backlog_cells(run: dict) -> tuple[str, str]:
    found = run.get("backlog")
    if not found:
        return "—", "—"
    queued = f"{found['admissions']:,} in {found['queue_s']:.0f} s ({found['queue_per_s']:,.0f}/s)"
    if found["drained"] < found["admissions"]:
        return queued, graded(f"{found['drained']:,} drained, then gave up", False)
    return queued, graded(f"{found['drain_s']:.1f} s", found["drain_s"] <= DRAIN_TARGET_S)


def stack_rows(results: dict) -> list[tuple[str, ...]]:
    """The rows of the whole-stack table: measure, one cell per database, baseline, target."""
    runs, base = results["stack"], results["baseline"]
    rows = []

    def row(measure: str, cells: list[str], baseline: str = "", target: str = "") -> None:
        rows.append((measure, *cells, baseline, target))

    row(
        "sustained admissions/s to match.made",
        [
            graded(f"{run['saathi_per_s']:,.0f}", run["saathi_per_s"] >= SUSTAINED_TARGET[db])
            for db, run in runs.items()
        ],
        f"{base['per_s']:,.0f}",
        "≥ 1,000 SQLite, ≥ 500 PostgreSQL",
    )
    row(
        "ratio to the raw 2-hop baseline",
        [f"{run['saathi_per_s'] / base['per_s']:.3f}" for run in runs.values()],
        "1",
        "reported",
    )
    row(
        "latency phase: admissions/s achieved",
        [f"{run['achieved_rate']:,.0f} of {run['rate']:.0f}" for run in runs.values()],
    )
    row(
        "p50 intake answer → match.made",
        [f"{run['saathi_p50_ms']:.1f} ms" for run in runs.values()],
        f"{base['p50_ms']:.1f} ms",
    )
    row(
        "p99 intake answer → match.made",
        [
            graded(f"{run['saathi_p99_ms']:.1f} ms", run["saathi_p99_ms"] <= P99_TARGET_MS)
            for run in runs.values()
        ],
        f"{base['p99_ms']:.1f} ms",
        f"≤ {P99_TARGET_MS} ms",
    )
    backlog = [_backlog_cells(run) for run in runs.values()]
    row("backlog queued at intake (consumers stopped)", [queued for queued, _ in backlog])
    row(
        "backlog drain: consumers started → last match.made",
        [drain for _, drain in backlog],
        "",
        f"≤ {DRAIN_TARGET_S} s (100,000)",
    )
    services = sorted({name for run in runs.values() for name in run["memory_mib"]})
    for service in services:
        cells = []
        for run in runs.values():
            rss, peak = run["memory_mib"].get(service, (math.nan, math.nan))
            cells.append(graded(f"{rss:.0f} MiB (peak {peak:.0f})", rss <= RSS_TARGET_MIB))
        row(f"RSS {service} after the run", cells, "", f"≤ {RSS_TARGET_MIB} MiB")
    return rows


def report_stack(results: dict, console: Console) -> None:
    """The whole-stack table, databases side by side."""
    first = next(iter(results["stack"].values()))
    machine = results["machine"]
    table = Table(
        title=f"Saathi benchmark — {first['admissions']:,} admissions, {first['mentors']} "
        f"mentors; {results['date']}, {results['revision']}, {machine['cores']} cores "
        f"({machine['cpu_model']})"
    )
    table.add_column("measure")
    for database in results["stack"]:
        table.add_column(LABELS.get(database, database), justify="right")
    table.add_column("raw JetStream 2-hop", justify="right")
    table.add_column("target", justify="right")
    for row in stack_rows(results):
        table.add_row(*row)
    console.print(table)


def report_cpu(runs: dict, console: Console) -> None:
    """CPU seconds per service and phase, and CPU ms per admission."""
    table = Table(title="CPU per service and phase: seconds (ms per admission)")
    table.add_column("phase")
    table.add_column("service")
    for database in runs:
        table.add_column(LABELS.get(database, database), justify="right")
    for phase in PHASES:
        readings = [run["cpu"].get(phase, {}) for run in runs.values()]
        services = sorted({name for reading in readings for name in reading})
        for service in [*services, "all services"]:
            cells = []
            for reading in readings:
                spent = (
                    [reading[name] for name in services if name in reading]
                    if service == "all services"
                    else [reading[service]]
                    if service in reading
                    else []
                )
                cpu_s = sum(item["cpu_s"] for item in spent)
                per = sum(item["ms_per_admission"] for item in spent)
                cells.append(f"{cpu_s:.1f} s ({per:.1f} ms)" if spent else "—")
            table.add_row(phase, service, *cells)
        table.add_section()
    console.print(table)
