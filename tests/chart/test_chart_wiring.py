"""Every setting a service reads can be given from values or a Secret, the objects find each
other by their selectors, the schema refuses what it does not know, and KEDA watches the
durable consumers the code declares."""

import json
from typing import Any

import pytest
from pydantic import SecretStr

from chart.render import CHART, containers, helm, of_kind, pod_spec, render
from chart.settings_classes import SETTINGS, read_settings
from saathi_stack.asyncapi.model import service_consumers

pytestmark = pytest.mark.chart

Rendered = dict[str, list[dict[str, Any]]]
SCHEMA = json.loads((CHART / "values.schema.json").read_text())


def _component_schema(service: str) -> dict[str, Any]:
    return dict(SCHEMA["properties"]["components"]["properties"][service]["properties"])


def _every_setting_given(service: str) -> list[str]:
    """--set-json options giving the service every setting its values schema offers."""
    schema = _component_schema(service)
    plain = {
        name: SETTINGS[service].model_fields[name].default
        for name in schema["settings"]["properties"]
    }
    plain = {name: value for name, value in plain.items() if value is not None} | {
        name: "/etc/saathi/x" for name, value in plain.items() if value is None
    }
    secret = {name: {"name": "s", "key": name} for name in schema["secretSettings"]["properties"]}
    return [
        "--set-json",
        f"components.{service}.settings={json.dumps(plain, default=str)}",
        "--set-json",
        f"components.{service}.secretSettings={json.dumps(secret)}",
        "--set-json",
        'components.intake.hl7Senders={"SALTLAKE": {"branch": "kol-salt-lake"}}',
        "--set",
        "nats.tls.enabled=true,nats.tls.caSecret=ca,nats.tls.clientCertificates=true",
        "--set",
        f"components.{service}.nats.tlsSecret=tls,auth.issuer=i,auth.jwksUrl=https://j",
        "--set",
        "components.intake.mllp.tls.existingSecret=mllp,components.intake.mllp.tls.clientCa=true",
    ]


def _env_names(objects: list[dict[str, Any]], service: str) -> set[str]:
    [deployment] = [
        d for d in of_kind(objects, "Deployment") if d["metadata"]["name"].endswith(f"-{service}")
    ]
    [config] = [c for c in of_kind(objects, "ConfigMap") if c["metadata"] == deployment["metadata"]]
    env = {v["name"] for c in containers(deployment) for v in c.get("env", [])}
    return env | set(config["data"])


@pytest.mark.parametrize("service", sorted(SETTINGS))
def test_every_setting_a_service_reads_is_wired(service: str) -> None:
    names = _env_names(render(*_every_setting_given(service)), service)
    expected = {f"{service.upper()}_{field.upper()}" for field in read_settings(service)}
    assert expected - names == set(), f"{service}: settings no value or Secret can reach"


@pytest.mark.parametrize("service", sorted(SETTINGS))
def test_secret_settings_come_only_from_secrets(service: str) -> None:
    schema = _component_schema(service)
    secret_fields = {
        name
        for name, info in SETTINGS[service].model_fields.items()
        if info.annotation in (SecretStr, SecretStr | None)
    }
    assert not secret_fields & set(schema["settings"]["properties"])
    assert set(schema["secretSettings"]["properties"]) <= secret_fields


def test_an_unknown_key_is_refused() -> None:
    for option in ("components.matching.replicaz=2", "defaults.resourcez.cpu=1", "nats.urll=x"):
        result = helm("template", "saathi", str(CHART), "--set", option)
        assert result.returncode != 0, option
        assert "Additional property" in result.stderr, result.stderr


def test_a_secret_as_a_plain_setting_is_refused() -> None:
    result = helm(
        "template", "saathi", str(CHART), "--set", "components.notify.settings.link_secret=x"
    )
    assert result.returncode != 0 and "link_secret" in result.stderr


def _matches(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return all(labels.get(key) == value for key, value in selector.items())


def test_selectors_find_their_pods(rendered: Rendered) -> None:
    for values, objects in rendered.items():
        pods = [d["spec"]["template"]["metadata"]["labels"] for d in of_kind(objects, "Deployment")]
        for deployment in of_kind(objects, "Deployment"):
            selector = deployment["spec"]["selector"]["matchLabels"]
            assert _matches(selector, deployment["spec"]["template"]["metadata"]["labels"])
        selected = [
            *(s["spec"]["selector"] for s in of_kind(objects, "Service")),
            *(
                p["spec"]["selector"]["matchLabels"]
                for p in of_kind(objects, "PodDisruptionBudget")
            ),
            *(n["spec"]["podSelector"]["matchLabels"] for n in of_kind(objects, "NetworkPolicy")),
            *(
                m["spec"]["selector"]["matchLabels"]
                for m in of_kind(objects, "ServiceMonitor", "PodMonitor")
            ),
        ]
        for selector in selected:
            assert sum(_matches(selector, labels) for labels in pods) == 1, f"{values}: {selector}"


def test_scalers_target_existing_deployments(rendered: Rendered) -> None:
    for values, objects in rendered.items():
        names = {d["metadata"]["name"] for d in of_kind(objects, "Deployment")}
        for scaler in of_kind(objects, "ScaledObject", "HorizontalPodAutoscaler"):
            assert scaler["spec"]["scaleTargetRef"]["name"] in names, values
            low = scaler["spec"].get("minReplicaCount", scaler["spec"].get("minReplicas"))
            assert low >= 1, values
        scaled = {
            s["spec"]["scaleTargetRef"]["name"]
            for s in of_kind(objects, "ScaledObject", "HorizontalPodAutoscaler")
        }
        for deployment in of_kind(objects, "Deployment"):
            # a scaled Deployment leaves its replica count to the scaler
            assert ("replicas" in deployment["spec"]) != (deployment["metadata"]["name"] in scaled)


def test_keda_watches_every_durable_consumer_of_the_code(rendered: Rendered) -> None:
    scalers = of_kind(rendered["production"], "ScaledObject")
    assert len(scalers) == 4, "matching, sessions, aftercare and notify scale on lag"
    for scaler in scalers:
        service = scaler["metadata"]["labels"]["app.kubernetes.io/component"]
        watched = {
            (t["metadata"]["stream"], t["metadata"]["consumer"]) for t in scaler["spec"]["triggers"]
        }
        declared = {(c.stream, c.durable) for c, _spec in service_consumers(service)}
        assert watched == declared, service
        assert {t["type"] for t in scaler["spec"]["triggers"]} == {"nats-jetstream"}


def test_services_reach_each_other_by_their_service_names(rendered: Rendered) -> None:
    objects = rendered["defaults"]
    services = {s["metadata"]["name"]: s for s in of_kind(objects, "Service")}
    [config] = [
        c for c in of_kind(objects, "ConfigMap") if c["metadata"]["name"].endswith("console")
    ]
    for service in ("intake", "matching", "sessions", "aftercare", "notify"):
        url = config["data"][f"CONSOLE_{service.upper()}_URL"]
        name, port = url.removeprefix("http://").split(":")
        assert int(port) == services[name]["spec"]["ports"][0]["port"]
    deployments = of_kind(objects, "Deployment")
    assert all(pod_spec(d)["containers"][0]["command"][:2] == ["python", "-m"] for d in deployments)
