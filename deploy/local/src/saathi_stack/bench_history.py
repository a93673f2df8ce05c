"""Where and when a benchmark ran: the record `.bench/history.jsonl` keeps for every run."""

import json
import os
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path


def cpu_model() -> str:
    """The processor's model name from /proc/cpuinfo ("unknown" elsewhere)."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "model name":
                return value.strip()
    return "unknown"


def git_revision() -> str:
    """The checkout's commit, `-dirty` when it has uncommitted changes ("unknown" outside git)."""
    try:
        answer = subprocess.run(
            ["git", "describe", "--always", "--dirty", "--abbrev=12"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return answer.stdout.strip()


def run_context() -> dict:
    """Date, revision and machine of this run."""
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "revision": git_revision(),
        "machine": {
            "cores": os.cpu_count(),
            "cpu_model": cpu_model(),
            "python": platform.python_version(),
            "system": platform.platform(),
        },
    }


def append_history(results: dict, history: Path) -> None:
    """Add one run's figures as a line of `history` (JSON Lines, oldest first)."""
    history.parent.mkdir(parents=True, exist_ok=True)
    with history.open("a") as lines:
        lines.write(json.dumps(results, sort_keys=True) + "\n")
