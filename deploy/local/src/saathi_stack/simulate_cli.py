"""`saathi simulate`: a month of a three-branch network's ADT (two EHRs, REST admissions,
consent hours later, merges, readmissions, mentor leave) replayed through the platform at a
compressed clock, then its ground truth checked through the services' APIs."""

import argparse
import asyncio
import os
import tempfile
from dataclasses import replace
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from saathi_stack.dev_issuer import DevIssuer
from saathi_stack.main import config_from_env
from saathi_stack.ports import free_ports
from saathi_stack.simulate.adapters import Target
from saathi_stack.simulate.checks import CheckResult
from saathi_stack.simulate.model import Scenario
from saathi_stack.simulate.run import SIMULATION_ENV, generate, replay_and_check, speed_for
from saathi_stack.simulate.stories import LONG, SHORT
from saathi_stack.stack import SERVICES, LocalStack, StackConfig


def add_parser(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """The `simulate` command and its options."""
    parser = commands.add_parser(
        "simulate",
        help="replay a month of a hospital network's ADT through the platform and check it",
    )
    parser.add_argument("--seed", type=int, default=14, help="same seed, same month")
    parser.add_argument("--short", action="store_true", help="the e2e suite's few days")
    parser.add_argument("--days", type=float, help="how many days to simulate")
    parser.add_argument("--minutes", type=float, default=10.0, help="real time for the replay")
    parser.add_argument(
        "--running",
        action="store_true",
        help="use the stack `make run` started (SAATHI_*_PORT) instead of starting one",
    )
    parser.add_argument("--data-dir", default=os.environ.get("SAATHI_DATA_DIR", "var"))
    parser.add_argument("--show", type=int, default=15, help="offending cases listed per check")


def run(args: argparse.Namespace, console: Console) -> int:
    """Generate, replay (on a stack of its own unless --running) and report."""
    size = SHORT if args.short else LONG
    if args.days:
        size = replace(size, days=args.days)
    scenario = generate(args.seed, size)
    console.print(
        f"seed {args.seed}: {size.days:g} days, {len(scenario.stays):,} stays, "
        f"{scenario.hl7_messages:,} HL7 messages, {len(scenario.steps):,} steps, "
        f"{len(scenario.mentors)} mentors; replayed in about {args.minutes:g} min"
    )
    if args.running:
        config = config_from_env(Path(args.data_dir))
        issuer = DevIssuer.ensure(Path(args.data_dir) / "dev-issuer")
        bearer = issuer.mint("coordinator", None, "dev-coordinator")
        return _replay(
            _target(config, {"Authorization": f"Bearer {bearer}"}), scenario, args, console
        )
    with tempfile.TemporaryDirectory(prefix="saathi-simulate-") as data_dir:
        nats, mllp, *ports = free_ports(2 + len(SERVICES))
        stack = LocalStack(
            StackConfig(
                data_dir=Path(data_dir),
                nats_port=nats,
                mllp_port=mllp,
                ports=dict(zip(SERVICES, ports, strict=True)),
                extra_env={
                    **SIMULATION_ENV,
                    **{f"{name.upper()}_RELAY_INTERVAL_S": "0.1" for name in SERVICES},
                },
            )
        )
        console.print("starting a stack of its own (SQLite, embedded NATS) …")
        try:
            stack.start()
            return _replay(_target(stack.config, stack.auth_headers()), scenario, args, console)
        finally:
            stack.stop()


def _target(config: StackConfig, headers: dict[str, str]) -> Target:
    urls = {name: f"http://127.0.0.1:{config.ports[name]}" for name in SERVICES}
    return Target(urls=urls, mllp_port=config.mllp_port, headers=headers)


def _replay(target: Target, scenario: Scenario, args: argparse.Namespace, console: Console) -> int:
    columns = (TextColumn("replaying"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("replay", total=len(scenario.steps))
        journal, results = asyncio.run(
            replay_and_check(
                target,
                scenario,
                speed_for(scenario, args.minutes * 60),
                lambda: progress.advance(task),
            )
        )
    console.print(f"sent {journal.sent:,} steps; services settled; checking …")
    _report(results, console, args.show)
    return 0 if all(result.passed for result in results) else 1


def _report(results: list[CheckResult], console: Console, show: int) -> None:
    table = Table(title="Network replay: ground truth")
    for column in ("check", "result", "cases", "asserts"):
        table.add_column(column, justify="right" if column == "cases" else "left")
    for result in results:
        verdict = "[green]pass[/]" if result.passed else "[red]FAIL[/]"
        table.add_row(result.name, verdict, f"{len(result.offences):,}", result.asserts)
    console.print(table)
    for result in results:
        if not result.passed:
            console.print(f"[red]{result.message(show)}[/]", highlight=False)
