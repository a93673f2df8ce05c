"""What an ops team's admission policies check: restricted pods, sized and probed
containers, pinned images, and no secret written into a manifest."""

from typing import Any

import pytest
from pydantic import SecretStr

from chart.render import POD_KINDS, containers, of_kind, pod_spec
from chart.settings_classes import SETTINGS

pytestmark = pytest.mark.chart

Rendered = dict[str, list[dict[str, Any]]]
SECRET_ENV_NAMES = {
    f"{service.upper()}_{field.upper()}"
    for service, cls in SETTINGS.items()
    for field, info in cls.model_fields.items()
    if info.annotation in (SecretStr, SecretStr | None)
} | {"SAATHI_NATS_PASSWORD", "SAATHI_DATABASE_PASSWORD"}


def _workloads(rendered: Rendered) -> list[tuple[str, dict[str, Any]]]:
    return [
        (name, obj) for name, objects in rendered.items() for obj in of_kind(objects, *POD_KINDS)
    ]


def test_every_container_runs_restricted(rendered: Rendered) -> None:
    for values, workload in _workloads(rendered):
        pod = pod_spec(workload)["securityContext"]
        where = f"{values}: {workload['kind']} {workload['metadata']['name']}"
        assert pod["runAsNonRoot"] is True, where
        assert pod["seccompProfile"] == {"type": "RuntimeDefault"}, where
        assert pod_spec(workload).get("automountServiceAccountToken") is False, where
        for container in containers(workload):
            context = container["securityContext"]
            assert context["runAsNonRoot"] is True and context["runAsUser"] == 10001, where
            assert context["readOnlyRootFilesystem"] is True, where
            assert context["allowPrivilegeEscalation"] is False, where
            assert context["capabilities"] == {"drop": ["ALL"]}, where
            mounts = {mount["mountPath"] for mount in container["volumeMounts"]}
            assert "/tmp" in mounts, f"{where}: no writable /tmp"


def test_every_container_is_sized_and_services_are_probed(rendered: Rendered) -> None:
    for values, workload in _workloads(rendered):
        for container in containers(workload):
            where = f"{values}: {workload['metadata']['name']}/{container['name']}"
            resources = container["resources"]
            assert {"cpu", "memory"} <= set(resources["requests"]), where
            assert {"cpu", "memory"} <= set(resources["limits"]), where
        if workload["kind"] == "Deployment":
            [service] = pod_spec(workload)["containers"]
            assert service["startupProbe"]["httpGet"]["path"] == "/healthz"
            assert service["readinessProbe"]["httpGet"]["path"] == "/readyz"
            assert service["livenessProbe"]["httpGet"]["path"] == "/healthz"


def test_images_are_pinned_never_latest(rendered: Rendered) -> None:
    for values, workload in _workloads(rendered):
        for container in containers(workload):
            image = container["image"]
            assert image.startswith("saathi:0.1.0"), f"{values}: {image}"
            assert ":latest" not in image


def test_no_secret_is_written_into_a_manifest(rendered: Rendered) -> None:
    for values, objects in rendered.items():
        for config in of_kind(objects, "ConfigMap"):
            leaked = SECRET_ENV_NAMES & set(config.get("data", {}))
            assert not leaked, f"{values}: {config['metadata']['name']} holds {leaked}"
        for workload in of_kind(objects, *POD_KINDS):
            for container in containers(workload):
                for variable in container.get("env", []):
                    name = variable["name"]
                    if name in SECRET_ENV_NAMES:
                        assert "secretKeyRef" in variable.get("valueFrom", {}), f"{values}: {name}"
                    if name.endswith("_DATABASE_URL"):
                        # the whole URL from a Secret, or assembled from a secret password
                        assert (
                            "valueFrom" in variable
                            or "$(SAATHI_DATABASE_PASSWORD)" in variable["value"]
                        ), f"{values}: {name}"
        assert not of_kind(objects, "Secret"), f"{values}: the chart writes no Secret"


def test_pods_have_time_to_drain(rendered: Rendered) -> None:
    for values, objects in rendered.items():
        for deployment in of_kind(objects, "Deployment"):
            config = next(
                c
                for c in of_kind(objects, "ConfigMap")
                if c["metadata"]["name"] == deployment["metadata"]["name"]
            )
            grace = next(float(v) for k, v in config["data"].items() if k.endswith("_GRACE_S"))
            period = pod_spec(deployment)["terminationGracePeriodSeconds"]
            assert period >= grace + 5, f"{values}: {deployment['metadata']['name']}"
