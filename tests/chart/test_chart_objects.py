"""The chart's objects beyond the Deployments: custom resources valid for their CRDs, the
migration and stream Jobs in both modes, dashboards and alert rules from files, the network
policies, and ports that let the rendered containers share one host."""

import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from chart.crds import custom_resource_problems
from chart.render import CHART, containers, helm, of_kind, pod_spec, render

pytestmark = pytest.mark.chart

Rendered = dict[str, list[dict[str, Any]]]
BUILT_IN_GROUPS = ("v1", "apps/", "batch/", "policy/", "networking.k8s.io/", "autoscaling/")


def test_custom_resources_are_valid_for_their_crds(rendered: Rendered) -> None:
    seen = set()
    for values, objects in rendered.items():
        for obj in objects:
            if obj["apiVersion"].startswith(BUILT_IN_GROUPS):
                continue
            seen.add(obj["kind"])
            assert custom_resource_problems(obj) == [], f"{values}: {obj['kind']}"
    assert {"ScaledObject", "ServiceMonitor", "PodMonitor", "Cluster", "Database"} <= seen


def test_a_misspelt_custom_resource_field_is_caught(rendered: Rendered) -> None:
    [scaler, *_] = of_kind(rendered["production"], "ScaledObject")
    scaler = {**scaler, "spec": {**scaler["spec"], "minReplicas": 1}}
    assert custom_resource_problems(scaler) == ["unknown field .spec.minReplicas"]


def _jobs(objects: list[dict[str, Any]], job: str) -> list[dict[str, Any]]:
    return [j for j in of_kind(objects, "Job") if j["metadata"]["labels"]["saathi.io/job"] == job]


def test_hook_mode_migrates_before_the_release(rendered: Rendered) -> None:
    migrations = _jobs(rendered["defaults"], "migrate")
    assert len(migrations) == 5, "a migration per service with a database"
    for job in [*migrations, *_jobs(rendered["defaults"], "streams")]:
        assert job["metadata"]["annotations"]["helm.sh/hook"] == "pre-install,pre-upgrade"
    for deployment in of_kind(rendered["defaults"], "Deployment"):
        assert "initContainers" not in pod_spec(deployment)
    [migrate] = pod_spec(migrations[0])["containers"]
    assert migrate["command"][-1] == "migrate"


def test_job_mode_waits_for_migrations_in_each_deployment(rendered: Rendered) -> None:
    objects = rendered["argo"]
    for job in of_kind(objects, "Job"):
        assert "helm.sh/hook" not in job["metadata"].get("annotations", {})
    for deployment in of_kind(objects, "Deployment"):
        service = deployment["metadata"]["labels"]["app.kubernetes.io/component"]
        waits = [c for c in pod_spec(deployment).get("initContainers", [])]
        if service == "console":
            assert waits == []
            continue
        [wait] = waits
        assert wait["command"] == ["python", "-m", service, "wait-for-migrations"]
        assert {v["name"] for v in wait["env"]} >= {f"{service.upper()}_DATABASE_URL"}


def test_streams_are_provisioned_as_ops_with_no_secret_in_arguments(rendered: Rendered) -> None:
    [job] = _jobs(rendered["production"], "streams")
    [provision] = pod_spec(job)["containers"]
    assert provision["command"] == ["saathi", "nats", "provision"]
    assert provision["args"] == ["--replicas", "3"]
    env = {v["name"]: v for v in provision["env"]}
    assert env["SAATHI_NATS_USER"]["value"] == "ops"
    assert "secretKeyRef" in env["SAATHI_NATS_PASSWORD"]["valueFrom"]
    assert "@" not in env["SAATHI_NATS_URL"]["value"]
    assert {"SAATHI_NATS_TLS_CA_PATH", "SAATHI_NATS_TLS_CERT_PATH"} <= set(env)


def test_mllp_is_reachable_only_from_the_ehr_networks(rendered: Rendered) -> None:
    [policy] = [
        n
        for n in of_kind(rendered["production"], "NetworkPolicy")
        if n["metadata"]["name"].endswith("-intake")
    ]
    ehrs = ["10.20.0.0/16", "10.30.4.0/24"]
    [mllp] = [rule for rule in policy["spec"]["ingress"] if rule["ports"][0]["port"] == 2575]
    assert [peer["ipBlock"]["cidr"] for peer in mllp["from"]] == ehrs
    [http] = [rule for rule in policy["spec"]["ingress"] if rule["ports"][0]["port"] == 8101]
    assert [p["ipBlock"]["cidr"] for p in http["from"] if "ipBlock" in p] == ehrs  # FHIR, REST
    [service] = [
        s
        for s in of_kind(rendered["mllp-nodeport-tls"], "Service")
        if s["metadata"]["name"].endswith("-mllp")
    ]
    assert (
        service["spec"]["type"] == "NodePort" and service["spec"]["ports"][0]["nodePort"] == 32575
    )
    [lb] = [
        s
        for s in of_kind(rendered["loadbalancer"], "Service")
        if s["metadata"]["name"].endswith("-mllp")
    ]
    assert lb["spec"]["loadBalancerSourceRanges"] == ["10.20.0.0/16"]


def test_egress_goes_only_where_a_service_talks(rendered: Rendered) -> None:
    for policy in of_kind(rendered["production"], "NetworkPolicy"):
        ports = {p["port"] for rule in policy["spec"]["egress"] for p in rule["ports"]}
        service = policy["metadata"]["labels"]["app.kubernetes.io/component"]
        expected = {53, 4222, 4318} | ({5432} if service != "console" else set())
        extra = {"notify": {587, 443}, "console": {443, 8101, 8102, 8103, 8104, 8105}}
        assert ports == expected | extra.get(service, set()), service


def test_the_host_network_set_gives_every_listener_its_own_port(rendered: Rendered) -> None:
    ports = [
        port["containerPort"]
        for deployment in of_kind(rendered["hostnetwork"], "Deployment")
        for container in containers(deployment)
        for port in container.get("ports", [])
    ]
    assert len(ports) == len(set(ports)) == 7


def test_dashboards_and_alert_rules_are_loaded_from_files(tmp_path: Path) -> None:
    chart = tmp_path / "saathi"
    shutil.copytree(CHART, chart, ignore=shutil.ignore_patterns("files"))
    assert not of_kind(
        render(
            "--set",
            "metrics.dashboards.enabled=true,metrics.prometheusRule.enabled=true",
            chart=chart,
        ),
        "PrometheusRule",
    ), "no rule files: no PrometheusRule"
    (chart / "files" / "dashboards").mkdir(parents=True)
    (chart / "files" / "alerts").mkdir()
    (chart / "files" / "dashboards" / "Consumer_Lag.json").write_text('{"title": "lag"}')
    (chart / "files" / "alerts" / "lag.yaml").write_text(
        "groups:\n  - name: lag\n    rules:\n      - alert: Lag\n        expr: up == 0\n"
    )
    objects = render(
        "--set", "metrics.dashboards.enabled=true,metrics.prometheusRule.enabled=true", chart=chart
    )
    [dashboard] = [c for c in of_kind(objects, "ConfigMap") if "dashboard" in c["metadata"]["name"]]
    assert dashboard["metadata"]["labels"]["grafana_dashboard"] == "1"
    assert dashboard["data"] == {"Consumer_Lag.json": '{"title": "lag"}'}
    [rule] = of_kind(objects, "PrometheusRule")
    assert rule["spec"]["groups"][0]["rules"][0]["alert"] == "Lag"
    assert custom_resource_problems(rule) == []


def test_people_reach_the_console_and_only_notifys_ack_links(rendered: Rendered) -> None:
    ingresses = {
        i["metadata"]["labels"]["app.kubernetes.io/component"]: i["spec"]["rules"][0]
        for i in of_kind(rendered["production"], "Ingress")
    }
    assert set(ingresses) == {"console", "notify"}
    assert [p["path"] for p in ingresses["console"]["http"]["paths"]] == ["/"]
    assert [p["path"] for p in ingresses["notify"]["http"]["paths"]] == ["/ack/"]
    [config] = [
        c
        for c in of_kind(rendered["production"], "ConfigMap")
        if c["metadata"]["name"].endswith("-notify")
    ]
    assert config["data"]["NOTIFY_PUBLIC_URL"] == f"https://{ingresses['notify']['host']}"


class _Readiness(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200 if self.path == "/ok/readyz" else 503)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_the_helm_test_pod_fails_when_a_service_is_not_ready(rendered: Rendered) -> None:
    [pod] = of_kind(rendered["defaults"], "Pod")
    [container] = pod["spec"]["containers"]
    assert len(container["args"]) == 6, "every service's /readyz"
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Readiness)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        outcomes = [
            subprocess.run(
                [sys.executable, *container["command"][1:], *urls],
                capture_output=True,
                text=True,
                timeout=60,
            ).returncode
            for urls in ([f"{base}/ok/readyz"], [f"{base}/ok/readyz", f"{base}/down/readyz"])
        ]
    finally:
        server.shutdown()
    assert outcomes == [0, 1]


@pytest.mark.parametrize(
    ("options", "refusal"),
    [
        (["--set", "postgresql.cloudnativepg.enabled=true"], "needs migrations.mode: job"),
        (["--set", "components.matching.autoscaling.enabled=true"], None),
        (
            [
                "--set",
                "components.matching.autoscaling.enabled=true,"
                "components.matching.autoscaling.minReplicas=0",
            ],
            "minReplicas",
        ),
    ],
)
def test_unsafe_combinations_are_refused(options: list[str], refusal: str | None) -> None:
    result = helm("template", "saathi", str(CHART), *options)
    if refusal is None:
        assert result.returncode == 0, result.stderr
    else:
        assert result.returncode != 0 and refusal in result.stderr, result.stderr
