"""Rendering the chart with helm (the pinned binary) into plain objects for the tests."""

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from saathi_stack.helm_tool import install_helm

REPOSITORY = Path(__file__).resolve().parents[2]
CHART = REPOSITORY / "deploy" / "helm" / "saathi"
VALUE_SETS = sorted((CHART / "ci").glob("*-values.yaml"))
RELEASE = "saathi"
POD_KINDS = {"Deployment", "Job", "Pod"}


def helm(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the pinned helm; the caller checks the outcome."""
    return subprocess.run(
        [str(install_helm()), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def render(*options: str, chart: Path = CHART) -> list[dict[str, Any]]:
    """Every object `helm template` renders with these options (helm's error when it fails)."""
    result = helm("template", RELEASE, str(chart), "--namespace", "saathi", *options)
    if result.returncode != 0:
        raise AssertionError(f"helm template {' '.join(options)} failed: {result.stderr}")
    return [obj for obj in yaml.safe_load_all(result.stdout) if obj]


def pod_spec(obj: dict[str, Any]) -> dict[str, Any]:
    """The pod spec of a Deployment, Job or Pod."""
    if obj["kind"] == "Pod":
        return dict(obj["spec"])
    return dict(obj["spec"]["template"]["spec"])


def containers(obj: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every container and init container of a workload."""
    spec = pod_spec(obj)
    yield from spec.get("initContainers", [])
    yield from spec["containers"]


def of_kind(objects: list[dict[str, Any]], *kinds: str) -> list[dict[str, Any]]:
    """The objects of these kinds."""
    return [obj for obj in objects if obj["kind"] in kinds]
