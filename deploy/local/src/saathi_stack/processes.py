"""Run a Saathi service as its own OS process, as Kubernetes would."""

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx


class ServiceStartError(RuntimeError):
    """A service process exited or never became ready."""


@dataclass
class ServiceProcess:
    """One service: `python -m <module>` (default: its name) with its settings in the
    environment."""

    name: str
    port: int
    env: dict[str, str]
    log_file: Path
    module: str | None = None
    process: subprocess.Popen[bytes] | None = field(default=None, init=False)

    @property
    def base_url(self) -> str:
        """HTTP base URL of the service."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Start the process; its output goes to `log_file`."""
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        output = open(self.log_file, "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", self.module or self.name, "serve"],
            env={**os.environ, **self.env},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout_s: float = 60.0) -> None:
        """Poll /readyz until it answers 200, or fail with the log's tail."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                raise ServiceStartError(f"{self.name} exited during start:\n{self.log_tail()}")
            try:
                answer = httpx.get(f"{self.base_url}/readyz", timeout=1.0)
                # Another process on the port (a port picked twice) must not pass for this one.
                if answer.status_code == 200 and answer.json().get("service") == self.name:
                    return
            except (httpx.HTTPError, ValueError):
                pass
            time.sleep(0.1)
        raise ServiceStartError(f"{self.name} not ready after {timeout_s:.0f}s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 20) -> str:
        """The last lines the service wrote."""
        if not self.log_file.exists():
            return "(no output)"
        return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])

    def stop(self, timeout_s: float = 20.0) -> None:
        """Ask the service to drain and stop (SIGTERM); kill it if it does not."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout_s)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def kill(self) -> None:
        """SIGKILL: the process dies mid-work, as in a crash."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = None
