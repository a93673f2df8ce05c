"""CPU seconds each service process spent in a benchmark phase, read from /proc."""

import os
from pathlib import Path

from saathi_stack.stack import LocalStack

CLOCK_TICKS_PER_S = os.sysconf("SC_CLK_TCK")


def process_cpu_seconds(pid: int) -> float:
    """User plus system CPU time of one process so far (Linux /proc/<pid>/stat)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    # The command name (field 2) may hold spaces: the fields that follow start after its ")".
    fields = stat[stat.rindex(")") + 2 :].split()
    user_ticks, system_ticks = int(fields[11]), int(fields[12])
    return (user_ticks + system_ticks) / CLOCK_TICKS_PER_S


def stack_cpu_seconds(stack: LocalStack) -> dict[str, float]:
    """CPU seconds so far of every running service of the stack."""
    return {
        name: process_cpu_seconds(service.process.pid)
        for name, service in stack.services.items()
        if service.process is not None and service.process.poll() is None
    }


def phase_cpu(
    before: dict[str, float], after: dict[str, float], admissions: int
) -> dict[str, dict[str, float]]:
    """Per service: CPU seconds between two readings and CPU ms per admission.

    A service absent from `before` (started during the phase) counts from zero.
    """
    phase = {}
    for name, seconds in after.items():
        spent = max(0.0, seconds - before.get(name, 0.0))
        phase[name] = {
            "cpu_s": spent,
            "ms_per_admission": spent * 1000 / admissions if admissions else float("nan"),
        }
    return phase
