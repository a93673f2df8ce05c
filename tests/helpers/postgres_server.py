"""A throwaway PostgreSQL server on loopback from Debian's binaries (initdb, pg_ctl), run as
the `postgres` system user when the tests run as root (the server refuses root)."""

import contextlib
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from saathi_stack.ports import free_port


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries here; the message says what to install."""


@dataclass(frozen=True)
class PostgresServer:
    """Where the server listens."""

    port: int

    def url(self, database: str) -> str:
        """A SQLAlchemy asyncpg URL of `database` as the superuser."""
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/{database}"


def _binaries() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if not found:
        raise PostgresUnavailable(
            "PostgreSQL server binaries not found: apt-get install postgresql (as root)"
        )
    return found[-1].parent


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    pwd.getpwnam("postgres")  # the Debian package creates it; KeyError says it is missing
    return ["runuser", "-u", "postgres", "--", *command]


@contextlib.contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    """initdb into a new folder, start on a free loopback port, stop and remove afterwards."""
    bin_dir = _binaries()
    # Its own folder under /tmp: pytest's are private to the test user, not the server's.
    work_dir = Path(tempfile.mkdtemp(prefix="saathi-pg-"))
    data = work_dir / "pgdata"
    data.mkdir(parents=True)
    if os.geteuid() == 0:
        shutil.chown(work_dir, "postgres")
        shutil.chown(data, "postgres")
    port = free_port()
    run = subprocess.run
    run(
        _as_server_user(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
            ]
        ),
        check=True,
        capture_output=True,
    )
    options = (
        f"-c listen_addresses=127.0.0.1 -p {port} -k {work_dir} -c fsync=off -c max_connections=300"
    )
    start = [
        str(bin_dir / "pg_ctl"),
        "-D",
        str(data),
        "-l",
        str(work_dir / "pg.log"),
        "-w",
        "-o",
        options,
        "start",
    ]
    run(_as_server_user(start), check=True, capture_output=True)
    try:
        yield PostgresServer(port)
    finally:
        stop = [str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]
        run(_as_server_user(stop), check=False, capture_output=True)
        shutil.rmtree(work_dir, ignore_errors=True)
