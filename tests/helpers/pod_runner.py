"""Start the containers of rendered pods with Docker: a Job's containers to completion, a
Deployment's init containers in order and then its containers, each labelled for clean-up."""

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field

import docker
from docker.models.containers import Container

from helpers.pods import ContainerRun

LABEL = "io.saathi.test-run"


class PodFailed(AssertionError):
    """A container of a pod exited badly; the message carries its last log lines."""


@dataclass
class RunningPod:
    """A pod's main containers, by container name."""

    name: str
    containers: dict[str, Container] = field(default_factory=dict)

    def logs(self, tail: int = 40) -> str:
        """The last log lines of every container of the pod."""
        return "\n".join(
            f"--- {self.name}/{name}\n{c.logs(tail=tail).decode(errors='replace')}"
            for name, c in self.containers.items()
        )


class PodRunner:
    """Runs pods for one test and removes every container it made at the end."""

    def __init__(self, run_id: str) -> None:
        self.client = docker.from_env()
        self.run_id = run_id

    def _start(self, pod: str, run: ContainerRun) -> Container:
        return self.client.containers.run(
            **run.docker_kwargs(),
            name=f"{self.run_id}-{pod}-{run.name}",
            labels={LABEL: self.run_id},
            detach=True,
        )

    def run_to_completion(self, pod: str, runs: list[ContainerRun], timeout_s: float) -> None:
        """Each container in turn must exit 0 within `timeout_s` (a Job, or init containers)."""
        for run in runs:
            container = self._start(pod, run)
            try:
                outcome = container.wait(timeout=timeout_s)
            except Exception as error:
                raise PodFailed(f"{pod}/{run.name} still running after {timeout_s}s") from error
            if outcome["StatusCode"] != 0:
                raise PodFailed(
                    f"{pod}/{run.name} exited with {outcome['StatusCode']}:\n"
                    + container.logs(tail=40).decode(errors="replace")
                )

    def start_pod(
        self, pod: str, inits: list[ContainerRun], mains: list[ContainerRun], timeout_s: float
    ) -> RunningPod:
        """Init containers to completion, then the main containers in the background."""
        self.run_to_completion(pod, inits, timeout_s)
        return RunningPod(pod, {run.name: self._start(pod, run) for run in mains})

    def remove_all(self) -> None:
        """Force-remove every container of this run."""
        for container in self.client.containers.list(all=True, filters={"label": LABEL}):
            if container.labels.get(LABEL) == self.run_id:
                with contextlib.suppress(Exception):
                    container.remove(force=True)


@contextlib.contextmanager
def pod_runner(run_id: str) -> Iterator[PodRunner]:
    """A runner whose containers are removed afterwards, whatever happened."""
    runner = PodRunner(run_id)
    try:
        yield runner
    finally:
        runner.remove_all()
