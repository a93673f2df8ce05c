"""The benchmark's tables: whole stack, matching and MLLP ingest, each beside its baseline."""

import os

from rich.console import Console
from rich.table import Table

from saathi_stack.bench_report_stack import report_cpu, report_stack


def report(results: dict, console: Console) -> None:
    """Every table the run has figures for."""
    if "mllp" in results:
        report_mllp(results["mllp"], results["databases"][0], console)
    if "matching" in results:
        report_matching(results["matching"], console)
    if "stack" in results:
        report_stack(results, console)
        report_cpu(results["stack"], console)


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
