"""`saathi-deadletters`: list the dead-letter stream and replay letters once the cause is fixed."""

import argparse
import asyncio
import os
from pathlib import Path

import nats
from rich.console import Console
from rich.table import Table

from saathi_stack.nats_users import NatsUsers
from shared.deadletters import list_dead_letters, replay_dead_letter

DEFAULT_URL = os.environ.get("SAATHI_NATS_URL", "nats://127.0.0.1:14222")


def with_local_ops_user(url: str, data_dir: Path) -> str:
    """The URL with the local stack's ops credentials, when it names none and they exist."""
    folder = data_dir / "nats-auth"
    if "@" in url or not (folder / "passwords.json").exists():
        return url
    return NatsUsers.ensure(folder).ops_url(url)


async def _quiet(_: Exception) -> None:
    """nats-py prints every failed attempt otherwise; main() reports the outcome once."""


async def _connect(url: str) -> nats.NATS:
    # One attempt only: nats-py retries the first connection 60 times by default.
    return await nats.connect(
        url,
        connect_timeout=3,
        max_reconnect_attempts=1,
        reconnect_time_wait=0.2,
        allow_reconnect=False,
        error_cb=_quiet,
    )


async def _list(url: str, limit: int, console: Console) -> None:
    connection = await _connect(url)
    try:
        letters = await list_dead_letters(connection.jetstream(), limit)
    finally:
        await connection.close()
    if not letters:
        console.print("no dead letters")
        return
    if not console.is_terminal:  # scripts and pipes get one tab-separated line per letter
        for letter in letters:
            console.print(
                "\t".join(
                    (
                        str(letter.sequence),
                        letter.stored_at.isoformat(),
                        letter.consumer,
                        letter.subject,
                        str(letter.deliveries),
                        letter.reason,
                    )
                ),
                soft_wrap=True,
            )
        return
    table = Table(title=f"dead letters ({len(letters)} shown)")
    for column in ("seq", "stored at", "consumer", "subject", "deliveries", "reason"):
        table.add_column(column)
    for letter in letters:
        table.add_row(
            str(letter.sequence),
            letter.stored_at.isoformat(timespec="seconds"),
            letter.consumer,
            letter.subject,
            str(letter.deliveries),
            letter.reason,
        )
    console.print(table)


async def _replay(url: str, sequences: list[int], replay_all: bool, console: Console) -> int:
    connection = await _connect(url)
    failures = 0
    try:
        js = connection.jetstream()
        if replay_all:
            sequences = [letter.sequence for letter in await list_dead_letters(js, limit=100_000)]
        for sequence in sequences:
            try:
                subject = await replay_dead_letter(js, sequence)
            except Exception as error:
                failures += 1
                console.print(
                    f"[red]seq {sequence}: not replayed ({type(error).__name__}: {error})"
                )
            else:
                console.print(f"seq {sequence}: replayed on {subject}")
    finally:
        await connection.close()
    return failures


def _connection_options(parser: argparse.ArgumentParser, defaults: bool) -> None:
    """--nats-url and --data-dir, accepted before and after the command: the command's copies
    default to nothing so they never undo a value given before it."""
    parser.add_argument(
        "--nats-url",
        default=DEFAULT_URL if defaults else argparse.SUPPRESS,
        help=f"default {DEFAULT_URL} (SAATHI_NATS_URL)",
    )
    parser.add_argument(
        "--data-dir",
        default=os.environ.get("SAATHI_DATA_DIR", "var") if defaults else argparse.SUPPRESS,
        help="the local stack's data directory: its ops NATS user is used",
    )


def main() -> None:
    """Entry point."""
    parser = argparse.ArgumentParser(prog="saathi-deadletters", description=__doc__)
    _connection_options(parser, defaults=True)
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list", help="show stored dead letters, oldest first")
    listing.add_argument("--limit", type=int, default=100)
    replay = commands.add_parser("replay", help="publish letters again on their original subject")
    replay.add_argument("sequences", type=int, nargs="*", help="dead-letter sequence numbers")
    replay.add_argument("--all", action="store_true", help="replay every stored letter")
    for command in (listing, replay):
        _connection_options(command, defaults=False)
    args = parser.parse_args()
    args.nats_url = with_local_ops_user(args.nats_url, Path(args.data_dir))
    console = Console()
    try:
        if args.command == "list":
            asyncio.run(_list(args.nats_url, args.limit, console))
            return
        if not args.sequences and not args.all:
            parser.error("name sequence numbers to replay, or --all")
        raise SystemExit(
            1 if asyncio.run(_replay(args.nats_url, args.sequences, args.all, console)) else 0
        )
    except (OSError, nats.errors.NoServersError) as error:
        console.print(
            f"[red]cannot reach NATS at {args.nats_url.rsplit('@', 1)[-1]} "
            f"({type(error).__name__}); "
            "is the stack running? pass --nats-url"
        )
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
