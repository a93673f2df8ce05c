"""The backlog phase: admissions queue at intake while matching, sessions and aftercare are
stopped (an outage, or an EHR replaying a day); then they start and the backlog drains."""

import asyncio
import time

import httpx
from rich.progress import Progress

from saathi_stack.bench_cpu import phase_cpu, stack_cpu_seconds
from saathi_stack.bench_stack import MatchWatcher, send_in_batches
from saathi_stack.processes import ServiceStartError
from saathi_stack.stack import LocalStack

STOPPED = ("matching", "sessions", "aftercare")


async def backlog(
    client: httpx.AsyncClient,
    stack: LocalStack,
    watcher: MatchWatcher,
    count: int,
    progress: Progress,
    startup_cpu: dict[str, float],
) -> dict:
    """Queue `count` admissions with the consumers stopped, start them, time the drain.

    The drain time runs from the moment the stopped services are started (their start-up
    included) until the last admission's `match.made` is seen on NATS. Their drain CPU is
    their whole CPU less `startup_cpu` (each one's CPU when the stack first became ready):
    a service busy draining answers /readyz late, so a reading at readiness would miss work.
    """
    for name in STOPPED:
        stack.services[name].stop()
    before = stack_cpu_seconds(stack)
    queued = progress.add_task(
        f"backlog: queueing {count:,} admissions at intake ({', '.join(STOPPED)} stopped)",
        total=None,
    )
    started = time.perf_counter()
    await send_in_batches(client, stack, "K", count, batch_size=500)
    queue_s = time.perf_counter() - started
    progress.update(queued, total=1, completed=1)
    queue_cpu = phase_cpu(before, stack_cpu_seconds(stack), count)

    draining = progress.add_task(f"backlog: draining {count:,} admissions", total=count)
    matched_before = len(watcher.arrived)
    before = {**stack_cpu_seconds(stack), **{name: startup_cpu[name] for name in STOPPED}}
    started = time.perf_counter()
    for name in STOPPED:  # not waiting for /readyz: match.made on NATS is the signal
        stack.restart(name, ready_timeout_s=None)
    deadline = started + 300 + count / 10  # even at 10/s: long enough to report the figure
    while len(watcher.arrived) - matched_before < count and time.perf_counter() < deadline:
        progress.update(draining, completed=len(watcher.arrived) - matched_before)
        _fail_if_exited(stack)
        await asyncio.sleep(0.1)
    drained = len(watcher.arrived) - matched_before
    progress.update(draining, completed=drained)
    return {
        "admissions": count,
        "queue_s": queue_s,
        "queue_per_s": count / queue_s,
        "drained": drained,
        "drain_s": (max(watcher.arrived.values()) - started) if drained else float("nan"),
        "cpu": {
            "backlog queue": queue_cpu,
            "backlog drain": phase_cpu(before, stack_cpu_seconds(stack), count),
        },
    }


def _fail_if_exited(stack: LocalStack) -> None:
    for name in STOPPED:
        process = stack.services[name]
        if process.process is not None and process.process.poll() is not None:
            raise ServiceStartError(f"{name} exited while draining:\n{process.log_tail()}")
