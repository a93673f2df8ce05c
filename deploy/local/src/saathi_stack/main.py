"""`saathi-stack run`: the whole platform locally, with demo data and a simulated EHR feed."""

import argparse
import asyncio
import contextlib
import os
import signal
import sys
from pathlib import Path

import httpx
from rich.console import Console
from rich.live import Live
from rich.progress import Progress, SpinnerColumn, TextColumn

from saathi_stack import demo, demo_people
from saathi_stack.dashboard import FlowView
from saathi_stack.demo_crises import CrisisDrill
from saathi_stack.dev_oidc.options import CONSOLE_REDIRECT_URI
from saathi_stack.dev_oidc.options import DEFAULT_PORT as DEFAULT_OIDC_PORT
from saathi_stack.ehr_feed import SimulatedEhr
from saathi_stack.nats_server import NatsServerError
from saathi_stack.processes import ServiceStartError
from saathi_stack.stack import SERVICES, LocalStack, PortBusyError, StackConfig

DEFAULT_PORTS = {
    "intake": 8101,
    "matching": 8102,
    "sessions": 8103,
    "aftercare": 8104,
    "notify": 8105,
}


def config_from_env(data_dir: Path) -> StackConfig:
    """Ports and backends from SAATHI_* variables, defaults otherwise."""
    template = os.environ.get(
        "SAATHI_DATABASE_URL_TEMPLATE"
    )  # e.g. postgresql+asyncpg://.../saathi_{service}
    return StackConfig(
        data_dir=data_dir,
        nats_port=int(os.environ.get("SAATHI_NATS_PORT", "14222")),
        nats_url=os.environ.get("SAATHI_NATS_URL") or None,
        mllp_port=int(os.environ.get("SAATHI_MLLP_PORT", "2575")),
        oidc_port=int(os.environ.get("SAATHI_OIDC_PORT", str(DEFAULT_OIDC_PORT))),
        console_port=int(os.environ.get("SAATHI_CONSOLE_PORT", "8106")),
        oidc_redirect_uris=tuple(
            uri.strip()
            for uri in os.environ.get("SAATHI_OIDC_REDIRECT_URIS", CONSOLE_REDIRECT_URI).split(",")
            if uri.strip()
        ),
        ports={
            name: int(os.environ.get(f"SAATHI_{name.upper()}_PORT", port))
            for name, port in DEFAULT_PORTS.items()
        },
        database_url=(lambda service: template.format(service=service)) if template else None,
        extra_env={f"{name.upper()}_LOG_JSON": "true" for name in SERVICES},
    )


async def _watch(stack: LocalStack, rate: float, console: Console) -> None:
    feed = (
        SimulatedEhr(
            stack.url("intake"),
            rate_per_s=rate,
            mllp_port=stack.config.mllp_port,
            matching_url=stack.url("matching"),
            # The simulated EHR and its coordinator share one token: a coordinator of every
            # branch may also enter admissions by hand, which is what the feed's REST half does.
            headers=stack.auth_headers("coordinator"),
        )
        if rate > 0
        else None
    )
    drill = (
        CrisisDrill(stack.url("matching"), stack.url("sessions"), stack.auth_headers("coordinator"))
        if rate > 0
        else None
    )
    view = FlowView({name: stack.url(name) for name in SERVICES}, feed.stats if feed else None)
    await view.start(stack.nats_url)
    feed_task = asyncio.create_task(feed.run()) if feed else None
    drill_task = asyncio.create_task(drill.run()) if drill else None
    try:
        with Live(view.render(), console=console, refresh_per_second=4, screen=False) as live:
            while True:
                await asyncio.sleep(0.25)
                live.update(view.render())
    finally:
        for task in (feed_task, drill_task):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        await view.stop()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run(args: argparse.Namespace) -> int:
    """Start everything, show the flow until Ctrl-C or SIGTERM, stop cleanly."""
    # SIGTERM (an orchestrator, `kill`) stops as Ctrl-C does; and Ctrl-C works even when the
    # shell started us in the background with SIGINT ignored.
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)
    console = Console()
    stack = LocalStack(config_from_env(Path(args.data_dir)))
    try:
        with Progress(
            SpinnerColumn(), TextColumn("{task.description}"), console=console, transient=True
        ) as progress:
            task = progress.add_task(
                "starting NATS JetStream, the dev sign-in, the five services and the console…"
            )
            stack.start()
            progress.update(task, description="loading demo data…")
            with httpx.Client(timeout=10, headers=stack.auth_headers()) as client:
                mentors, groups = demo.seed(client, stack.url("matching"), stack.url("sessions"))
                people = demo_people.seed(client, stack.url("notify"))
        console.print(
            f"[green]platform up[/] — NATS {stack.nats_address}; demo data: {mentors} new mentors, "
            f"{groups} new groups, {people} people alerts reach; "
            f"logs in {Path(args.data_dir) / 'logs'}"
        )
        for name in SERVICES:
            console.print(f"  {name:<10} {stack.url(name)}/docs")
        console.print(
            f"  {'API token':<10} uv run saathi token --role coordinator --branch kol-salt-lake "
            f"--data-dir {args.data_dir}  (send it as 'Authorization: Bearer …')"
        )
        console.print(
            f"  {'sign-in':<10} {stack.oidc_url}/.well-known/openid-configuration "
            "(dev OIDC issuer; client saathi-console)"
        )
        console.print(
            f"[bold]  {'console':<10} {stack.url('console')}[/]  "
            "(sign in as any role and branch on the dev sign-in page)"
        )
        console.print(
            f"  {'HL7 v2':<10} MLLP on 127.0.0.1:{stack.config.mllp_port} "
            "(saathi hl7 replay FILE… sends HL7 files there)"
        )
        asyncio.run(_watch(stack, args.rate, console))
    except KeyboardInterrupt:
        console.print("\nstopping (draining in-flight work)…")
    except (PortBusyError, NatsServerError, ServiceStartError) as error:
        console.print(f"[red]cannot start:[/] {error}")
        return 2
    finally:
        # uv and the terminal may both deliver Ctrl-C; a second one must not cut the drain short.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        stack.stop()
    console.print(
        f"stopped cleanly; data kept in {args.data_dir}/ — `make run` again resumes from there"
    )
    return 0


def main() -> None:
    """Entry point."""
    parser = argparse.ArgumentParser(prog="saathi-stack", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run_parser = commands.add_parser("run", help="run the platform locally")
    run_parser.add_argument("--data-dir", default=os.environ.get("SAATHI_DATA_DIR", "var"))
    run_parser.add_argument(
        "--rate",
        type=float,
        default=float(os.environ.get("SAATHI_FEED_RATE", "1.0")),
        help="simulated admissions per second (0 turns the feed off)",
    )
    args = parser.parse_args()
    sys.exit(run(args))


if __name__ == "__main__":
    main()
