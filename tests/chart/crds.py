"""The chart's custom resources checked against their CRDs' schemas: KEDA and
prometheus-operator through the pydantic models generated from those CRDs (cloudcoil-models-*),
strictly (a key the model does not know is an error, as `kubernetes-validate --strict` does for
built-in kinds). CloudNativePG ships no such package on PyPI or npm: its two kinds are checked
against the fields of its API reference that the chart uses."""

from typing import Any

from cloudcoil.models.keda.v1alpha1 import ScaledObject
from cloudcoil.models.prometheus_operator.v1 import PodMonitor, PrometheusRule, ServiceMonitor
from pydantic import BaseModel, ValidationError

MODELS: dict[tuple[str, str], type[BaseModel]] = {
    ("keda.sh/v1alpha1", "ScaledObject"): ScaledObject,
    ("monitoring.coreos.com/v1", "ServiceMonitor"): ServiceMonitor,
    ("monitoring.coreos.com/v1", "PodMonitor"): PodMonitor,
    ("monitoring.coreos.com/v1", "PrometheusRule"): PrometheusRule,
}

# postgresql.cnpg.io/v1 (CloudNativePG 1.25+ API reference): the spec fields the chart writes.
CNPG_SPEC_FIELDS = {
    "Cluster": {"instances", "imageName", "storage", "bootstrap", "managed", "backup"},
    "Database": {"name", "owner", "ensure", "cluster"},
}
CNPG_REQUIRED = {"Cluster": {"instances", "storage"}, "Database": {"name", "owner", "cluster"}}


def _unknown_keys(given: Any, kept: Any, path: str) -> list[str]:
    """Keys in `given` that validation dropped (the model has no such field)."""
    if isinstance(given, dict) and isinstance(kept, dict):
        missing = [f"{path}.{key}" for key in given if key not in kept]
        nested = [
            problem
            for key in given
            if key in kept
            for problem in _unknown_keys(given[key], kept[key], f"{path}.{key}")
        ]
        return missing + nested
    if isinstance(given, list) and isinstance(kept, list):
        return [
            problem
            for index, (one, other) in enumerate(zip(given, kept, strict=False))
            for problem in _unknown_keys(one, other, f"{path}[{index}]")
        ]
    return []


def custom_resource_problems(obj: dict[str, Any]) -> list[str]:
    """What is wrong with one custom resource; empty when its CRD schema accepts it."""
    key = (obj["apiVersion"], obj["kind"])
    if obj["apiVersion"] == "postgresql.cnpg.io/v1":
        return _cnpg_problems(obj)
    model = MODELS.get(key)
    if model is None:
        return [f"no schema known for {key}"]
    try:
        parsed = model.model_validate(obj)
    except ValidationError as error:
        return [str(error)]
    kept = parsed.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return [f"unknown field {path}" for path in _unknown_keys(obj, kept, "")]


def _cnpg_problems(obj: dict[str, Any]) -> list[str]:
    fields = CNPG_SPEC_FIELDS.get(obj["kind"])
    if fields is None:
        return [f"no schema known for postgresql.cnpg.io/v1 {obj['kind']}"]
    spec = obj.get("spec", {})
    problems = [f"unknown field .spec.{key}" for key in sorted(set(spec) - fields)]
    problems += [f"missing .spec.{key}" for key in sorted(CNPG_REQUIRED[obj["kind"]] - set(spec))]
    return problems
