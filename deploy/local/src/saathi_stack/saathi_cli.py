"""`saathi`: tools for people running Saathi. `saathi hl7 replay FILE...` backfills HL7;
`saathi token --role coordinator --branch kol-salt-lake` mints a local stack token;
`saathi simulate` replays a month of a hospital network's ADT and checks its ground truth;
`saathi asyncapi` writes the event catalogue (AsyncAPI and its readable page) from the code."""

import argparse
import asyncio
import os
import sys
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from saathi_stack import audit_cli, simulate_cli
from saathi_stack.asyncapi import cli as asyncapi_cli
from saathi_stack.dev_issuer import DevIssuer
from saathi_stack.nats_config import production_config
from saathi_stack.nats_provision import provision
from saathi_stack.replay import ReplaySummary, load, replay
from shared.auth import ROLES
from shared.nats_connect import tls_context


def _report(summary: ReplaySummary, console: Console, show: int) -> None:
    table = Table(title="HL7 replay")
    table.add_column("answer")
    table.add_column("messages", justify="right")
    for code, count in sorted(summary.codes.items()):
        table.add_row(code, f"{count:,}")
    console.print(table)
    if summary.reasons:
        reasons = Table(title="Refusals by reason")
        reasons.add_column("reason")
        reasons.add_column("messages", justify="right")
        for why, count in summary.reasons.most_common():
            reasons.add_row(why, f"{count:,}")
        console.print(reasons)
        for where, control_id, why in summary.refused[:show]:
            console.print(f"  {where} (MSH-10 {control_id}): {why}")
        if len(summary.refused) > show:
            console.print(f"  … and {len(summary.refused) - show:,} more (--show N to list them)")


def _replay(args: argparse.Namespace, console: Console) -> int:
    missing = [path for path in args.files if not path.is_file()]
    if missing:
        console.print(f"[red]no such file: {missing[0]}[/]")
        return 2
    messages = load(args.files)
    if not messages:
        console.print("[yellow]no HL7 messages (MSH segments) found in those files[/]")
        return 2
    columns = (TextColumn("replaying"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("replay", total=len(messages))
        try:
            summary = asyncio.run(
                replay(
                    messages,
                    args.host,
                    args.port,
                    args.timeout,
                    lambda: progress.advance(task),
                )
            )
        except (TimeoutError, OSError) as error:
            console.print(
                f"[red]cannot reach intake's HL7 listener at {args.host}:{args.port} "
                f"({type(error).__name__}).[/] Is the platform running (make run)? "
                "Set --host/--port or SAATHI_MLLP_PORT."
            )
            return 2
    _report(summary, console, args.show)
    return 0 if summary.all_accepted else 1


def _nats(args: argparse.Namespace, console: Console) -> int:
    if args.command == "config":
        print(production_config(), end="")
        return 0
    tls = None
    if args.tls_ca or args.nats_url.startswith("tls://"):
        tls = tls_context(args.tls_ca, args.tls_cert, args.tls_key)
    password = os.environ.get("SAATHI_NATS_PASSWORD")
    try:
        asyncio.run(provision(args.nats_url, args.replicas, tls, args.user, password))
    except Exception as error:
        console.print(
            f"[red]could not provision the streams ({type(error).__name__}: {error}).[/] "
            "Check the ops user (--user or SAATHI_NATS_USER, SAATHI_NATS_PASSWORD) and that "
            "NATS runs with JetStream."
        )
        return 2
    console.print(f"[green]streams provisioned[/] (replicas {args.replicas})")
    return 0


def _add_hl7_parser(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    hl7 = commands.add_parser("hl7", help="HL7 v2 tools").add_subparsers(
        dest="command", required=True
    )
    replay_parser = hl7.add_parser(
        "replay",
        help="send HL7 files to intake over MLLP, in order (resends are answered, not doubled)",
    )
    replay_parser.add_argument("files", nargs="+", type=Path, help="files of HL7 messages")
    replay_parser.add_argument("--host", default="127.0.0.1")
    replay_parser.add_argument(
        "--port", type=int, default=int(os.environ.get("SAATHI_MLLP_PORT", "2575"))
    )
    replay_parser.add_argument("--timeout", type=float, default=10.0, help="seconds per ACK")
    replay_parser.add_argument("--show", type=int, default=20, help="refusals to list")


def _add_token_parser(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    token = commands.add_parser(
        "token", help="print a bearer token from the local stack's dev issuer (not for production)"
    )
    token.add_argument("--role", required=True, choices=sorted(ROLES))
    token.add_argument("--branch", help="the branch the token is for (none: every branch)")
    token.add_argument("--subject", help="who the token is for (default dev-<role>)")
    token.add_argument("--hours", type=float, default=8.0, help="how long it is valid")
    token.add_argument("--data-dir", default=os.environ.get("SAATHI_DATA_DIR", "var"))


def _add_audit_parser(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    audit = commands.add_parser(
        "audit", help="a patient's audit trail from every service (privacy officer)"
    )
    audit.add_argument("--patient-ref", required=True)
    audit.add_argument("--token", help="a privacy officer's bearer token")
    audit.add_argument(
        "--data-dir",
        default=os.environ.get("SAATHI_DATA_DIR", "var"),
        help="without --token: mint one from the local stack's dev issuer",
    )


def _add_nats_parser(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    nats_tools = commands.add_parser("nats", help="NATS for ops").add_subparsers(
        dest="command", required=True
    )
    nats_tools.add_parser("config", help="print the production nats-server configuration")
    provision_parser = nats_tools.add_parser(
        "provision", help="create or update Saathi's streams, as the ops user"
    )
    provision_parser.add_argument(
        "--nats-url",
        default=os.environ.get("SAATHI_NATS_URL", "nats://127.0.0.1:14222"),
        help="nats://host:4222 or tls://… (credentials in it work too, but show in `ps`)",
    )
    provision_parser.add_argument(
        "--user",
        default=os.environ.get("SAATHI_NATS_USER"),
        help="the ops user (its password only from SAATHI_NATS_PASSWORD, never an argument)",
    )
    provision_parser.add_argument(
        "--tls-ca", default=os.environ.get("SAATHI_NATS_TLS_CA_PATH"), help="CA of the server"
    )
    provision_parser.add_argument(
        "--tls-cert", default=os.environ.get("SAATHI_NATS_TLS_CERT_PATH"), help="client cert"
    )
    provision_parser.add_argument(
        "--tls-key", default=os.environ.get("SAATHI_NATS_TLS_KEY_PATH"), help="its key"
    )
    provision_parser.add_argument("--replicas", type=int, default=1, help="3 in production")


def build_parser() -> argparse.ArgumentParser:
    """The `saathi` command line: one subcommand per area."""
    parser = argparse.ArgumentParser(prog="saathi", description=__doc__)
    commands = parser.add_subparsers(dest="area", required=True)
    _add_hl7_parser(commands)
    _add_token_parser(commands)
    _add_audit_parser(commands)
    simulate_cli.add_parser(commands)
    _add_nats_parser(commands)
    asyncapi_cli.add_parser(commands)
    return parser


def _run(args: argparse.Namespace) -> int:
    """Run the chosen area's command and return its exit status."""
    if args.area == "audit":
        bearer = args.token or DevIssuer.ensure(Path(args.data_dir) / "dev-issuer").mint(
            "privacy_officer", None, "dev-privacy-officer"
        )
        return audit_cli.run(args, bearer, Console())
    if args.area == "simulate":
        return simulate_cli.run(args, Console())
    if args.area == "nats":
        return _nats(args, Console())
    if args.area == "asyncapi":
        return asyncapi_cli.run(args)
    if args.area == "token":
        issuer = DevIssuer.ensure(Path(args.data_dir) / "dev-issuer")
        print(issuer.mint(args.role, args.branch, args.subject, int(args.hours * 3600)))
        return 0
    return _replay(args, Console())


def main() -> None:
    """Entry point."""
    sys.exit(_run(build_parser().parse_args()))


if __name__ == "__main__":
    main()
