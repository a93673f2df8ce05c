"""`saathi-bench --profile`: py-spy samples each service during the sustained phase; folded
stacks per service and a text summary of where the CPU went."""

import re
import shutil
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

from saathi_stack.stack import LocalStack

# Libraries whose share of the samples the summary reports, by the file path of a frame.
CATEGORIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("SQLAlchemy ORM", re.compile(r"\((sqlalchemy/orm|sqlmodel)/")),
    ("SQLAlchemy Core", re.compile(r"\(sqlalchemy/(?!orm/)")),
    ("driver", re.compile(r"\((sqlite3|aiosqlite|asyncpg)/|\(shared/sqlite_inline\.py")),
    ("pydantic", re.compile(r"\((pydantic|pydantic_core|pydantic_settings)/")),
    ("nats", re.compile(r"\(nats/")),
    ("hl7", re.compile(r"\(hl7/")),
)
FRAME_COUNT = re.compile(r"^(?P<stack>.*) (?P<count>\d+)$")
LINE_NUMBER = re.compile(r":\d+\)$")
# py-spy counts a pool thread blocked on its queue or lock as active: such samples are waiting.
WAITING = re.compile(r"\((threading|queue|selectors|concurrent/futures/thread)\.py:\d+\)$")


def py_spy_binary() -> str:
    """The py-spy installed beside this Python (the dev group), else one on PATH."""
    beside = Path(sys.executable).parent / "py-spy"
    found = str(beside) if beside.exists() else shutil.which("py-spy")
    if found is None:
        raise RuntimeError("--profile needs py-spy: uv sync (it is in the dev group)")
    return found


class Profiler:
    """One `py-spy record --format raw` per service process, stopped with SIGINT."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self._recorders: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, stack: LocalStack) -> None:
        """Attach to every running service (needs ptrace: root, or CAP_SYS_PTRACE)."""
        self.out_dir.mkdir(parents=True, exist_ok=True)
        binary = py_spy_binary()
        for name, service in stack.services.items():
            if service.process is None:
                continue
            command = [binary, "record", "--pid", str(service.process.pid), "--format", "raw"]
            command += ["--rate", "100", "--output", str(self.folded_path(name))]
            self._recorders[name] = subprocess.Popen(
                command,
                stdout=subprocess.DEVNULL,
                stderr=open(self.out_dir / f"{name}.py-spy.log", "wb"),
            )

    def folded_path(self, service: str) -> Path:
        """Where the folded stacks of a service go."""
        return self.out_dir / f"{service}.folded"

    def stop(self) -> dict[str, dict]:
        """Stop sampling, write `<service>-top.txt`, and return each service's summary."""
        for recorder in self._recorders.values():
            recorder.send_signal(signal.SIGINT)
        summaries = {}
        for name, recorder in self._recorders.items():
            recorder.wait(30)
            folded = self.folded_path(name)
            if not folded.exists():
                continue
            summary = summarise(folded.read_text().splitlines())
            (self.out_dir / f"{name}-top.txt").write_text(render_summary(name, summary))
            summaries[name] = summary
        self._recorders.clear()
        return summaries


def summarise(folded_lines: list[str], top: int = 20) -> dict:
    """Own-time top functions and the share of samples inside each library (inclusive)."""
    own: Counter[str] = Counter()
    inside: Counter[str] = Counter()
    own_inside: Counter[str] = Counter()
    total = 0
    for line in folded_lines:
        match = FRAME_COUNT.match(line.strip())
        if match is None:
            continue
        frames, count = match["stack"].split(";"), int(match["count"])
        if WAITING.search(frames[-1]):
            continue
        total += count
        own[LINE_NUMBER.sub(")", frames[-1])] += count  # a function's lines together
        for category, pattern in CATEGORIES:
            if any(pattern.search(frame) for frame in frames):
                inside[category] += count
            if pattern.search(frames[-1]):
                own_inside[category] += count
    return {
        "samples": total,
        "top_own": [(frame, count / total) for frame, count in own.most_common(top)]
        if total
        else [],
        "library_share": {
            name: {"own": own_inside[name] / total, "inclusive": inside[name] / total}
            if total
            else {"own": 0.0, "inclusive": 0.0}
            for name, _ in CATEGORIES
        },
    }


def render_summary(service: str, summary: dict) -> str:
    """The text form of one service's summary."""
    lines = [f"{service}: {summary['samples']:,} samples (100/s, busy threads only)", ""]
    lines.append("own time  function (file)")
    lines += [f"{share:7.1%}  {frame}" for frame, share in summary["top_own"]]
    lines += ["", "    own  inclusive  library (share of samples)"]
    lines += [
        f"{share['own']:7.1%}  {share['inclusive']:9.1%}  {name}"
        for name, share in summary["library_share"].items()
    ]
    return "\n".join(lines) + "\n"
