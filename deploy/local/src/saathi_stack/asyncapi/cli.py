"""`saathi asyncapi [--check]`: write (or compare) the event catalogue in docs/events/."""

import argparse
import sys
from pathlib import Path


def add_parser(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """The `asyncapi` command and its options."""
    parser = commands.add_parser(
        "asyncapi",
        help="write the event catalogue (docs/events/asyncapi.yaml, catalogue.md) from the code",
    )
    parser.add_argument(
        "--check", action="store_true", help="only compare; exit 1 when the files are stale"
    )
    parser.add_argument("--out", type=Path, help="folder (default: the repository's docs/events/)")


def run(args: argparse.Namespace) -> int:
    """Write the files, or with --check report what is stale."""
    # Imported here: reading the catalogue assembles all four services, which other
    # `saathi` commands have no need to wait for.
    from saathi_stack.asyncapi.files import (
        REGENERATE,
        default_folder,
        differences,
        render_files,
        write,
    )

    folder = args.out or default_folder()
    files = render_files()
    if args.check:
        stale = differences(folder, files)
        for line in stale:
            print(line, file=sys.stderr)
        if stale:
            print(f"the event catalogue is stale: {REGENERATE}", file=sys.stderr)
            return 1
        print(f"{folder}: the event catalogue matches the code ({len(files)} files)")
        return 0
    changed = write(folder, files)
    print(f"{folder}: {len(changed)} of {len(files)} files updated")
    return 0
