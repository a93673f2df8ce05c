"""The chart's rendered pods started with Docker on loopback: PostgreSQL, a three-node NATS
JetStream cluster and a stand-in for the hospital's OpenID provider run first; then the stream
and migration Jobs, then every Deployment (matching and aftercare with two replicas)."""

import contextlib
import os
import secrets
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx
import yaml

from chart.render import CHART, of_kind, render
from helpers.nats_cluster import NatsCluster, nats_cluster
from helpers.pod_runner import PodRunner, RunningPod, pod_runner
from helpers.pods import Cluster, pod_runs
from helpers.postgres_server import PostgresServer, postgres_server
from helpers.waiting import wait_until
from saathi_stack.dev_issuer import DevIssuer
from saathi_stack.ports import accepts_connections, free_ports

SERVICES = ("intake", "matching", "sessions", "aftercare", "notify")
COMPONENTS = (*SERVICES, "console")
REPLICAS = {"matching": 2, "aftercare": 2}
JOB_TIMEOUT_S = 180.0


@dataclass
class Platform:
    """What the test reaches: each pod's HTTP port, intake's MLLP port, the issuer's tokens."""

    issuer: DevIssuer
    mllp_port: int
    runner: PodRunner
    nats: NatsCluster
    ports: dict[str, int] = field(default_factory=dict)  # pod name -> HTTP port
    pods: dict[str, RunningPod] = field(default_factory=dict)

    def url(self, pod: str) -> str:
        """Base URL of one pod (`matching-0`, `matching-1`, `intake-0`...)."""
        return f"http://127.0.0.1:{self.ports[pod]}"

    def headers(self, role: str = "coordinator") -> dict[str, str]:
        """A bearer token from the stand-in OpenID provider."""
        return {"Authorization": f"Bearer {self.issuer.mint(role, None, None)}"}


def _values(ports: list[int], nats: NatsCluster, oidc_port: int) -> dict:
    port_of = dict(zip(COMPONENTS, ports, strict=False))
    oidc = f"http://127.0.0.1:{oidc_port}"
    components: dict[str, dict] = {
        name: {"port": port_of[name], "replicas": REPLICAS.get(name, 1)} for name in COMPONENTS
    }
    components["intake"]["mllp"] = {"port": ports[len(COMPONENTS)]}
    components["sessions"]["settings"] = {
        "fallback_duty_chain": [{"person_id": "network-on-call", "role": "clinician"}]
    }
    components["notify"]["settings"] = {"public_url": f"http://127.0.0.1:{port_of['notify']}"}
    components["console"]["settings"] = {
        "public_url": f"http://127.0.0.1:{port_of['console']}",
        "cookie_secure": False,
        "oidc_discovery_url": f"{oidc}/.well-known/openid-configuration",
        **{f"{s}_url": f"http://127.0.0.1:{port_of[s]}" for s in SERVICES},
    }
    return {
        "nats": {"url": nats.url, "streamReplicas": 3},
        "auth": {"required": True, "jwksUrl": f"{oidc}/jwks", "issuer": "saathi-dev-issuer"},
        "components": components,
    }


async def _create_databases(pg: PostgresServer) -> dict[str, str]:
    connection = await asyncpg.connect(f"postgresql://postgres@127.0.0.1:{pg.port}/postgres")
    try:
        for service in SERVICES:
            await connection.execute(f'CREATE DATABASE "{service}"')
    finally:
        await connection.close()
    return {service: pg.url(service) for service in SERVICES}


def _secrets(cluster: Cluster, database_urls: dict[str, str], nats: NatsCluster) -> None:
    """The Secrets ops create before installing the chart (see the operations guide)."""
    for service, url in database_urls.items():
        cluster.add_secret(f"saathi-{service}-db", {"url": url})
    for user in COMPONENTS:
        cluster.add_secret(f"saathi-{user}-nats", {"password": nats.passwords[user]})
    cluster.add_secret("saathi-nats-ops", {"password": nats.passwords["ops"]})
    cluster.add_secret("saathi-console", {"session-secret": secrets.token_urlsafe(48)})


@contextlib.contextmanager
def _identity_provider(work: Path, port: int) -> Iterator[DevIssuer]:
    """The local dev issuer stands in for the hospital's OpenID provider."""
    issuer_dir = work / "issuer"
    issuer = DevIssuer.ensure(issuer_dir)
    env = os.environ | {
        "SAATHI_OIDC_PORT": str(port),
        "SAATHI_OIDC_ISSUER_DIR": str(issuer_dir),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "saathi_stack.dev_oidc", "serve"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield issuer
    finally:
        process.terminate()
        process.wait(timeout=10)


def _run_jobs(runner: PodRunner, cluster: Cluster, scratch: Path) -> None:
    """The stream provisioning Job, then each service's migration Job, each to success."""
    jobs = sorted(
        of_kind(cluster.objects, "Job"), key=lambda job: "migrate" in job["metadata"]["name"]
    )
    for job in jobs:
        name = job["metadata"]["name"]
        runs = pod_runs(cluster, job["spec"]["template"], name, scratch)
        runner.run_to_completion(name, runs, JOB_TIMEOUT_S)


def _start_deployments(
    platform: Platform, cluster: Cluster, scratch: Path, spare_ports: list[int]
) -> None:
    """Every Deployment's replicas; a second replica listens on a spare port (pods of one
    Deployment share their port, which host networking cannot give two processes)."""
    for deployment in of_kind(cluster.objects, "Deployment"):
        component = deployment["metadata"]["labels"]["app.kubernetes.io/component"]
        template = deployment["spec"]["template"]
        inits = len(template["spec"].get("initContainers") or [])
        for replica in range(deployment["spec"].get("replicas", 1)):
            pod = f"{component}-{replica}"
            runs = pod_runs(cluster, template, pod, scratch)
            port = runs[inits].ports[0]
            if replica:
                port = spare_ports.pop()
                for run in runs[inits:]:
                    run.env[f"{component.upper()}_HTTP_PORT"] = str(port)
            platform.ports[pod] = port
            platform.pods[pod] = platform.runner.start_pod(
                pod, runs[:inits], runs[inits:], JOB_TIMEOUT_S
            )


async def _wait_ready(platform: Platform) -> None:
    async with httpx.AsyncClient(timeout=5) as client:
        for pod in platform.pods:

            async def ready(pod: str = pod) -> bool:
                with contextlib.suppress(httpx.HTTPError):
                    return (await client.get(f"{platform.url(pod)}/readyz")).status_code == 200
                return False

            try:
                await wait_until(ready, timeout_s=120, interval_s=0.5, what=f"{pod} ready")
            except AssertionError as error:
                raise AssertionError(f"{error}\n{platform.pods[pod].logs()}") from None


@contextlib.asynccontextmanager
async def running_platform(work: Path) -> AsyncIterator[tuple[Platform, Cluster]]:
    """Everything started, every pod ready; all of it stopped and removed afterwards."""
    ports = free_ports(len(COMPONENTS) + 2 + sum(REPLICAS.values()))
    oidc_port, *ports = ports
    values_file = work / "loopback-values.yaml"
    with postgres_server() as pg, _identity_provider(work, oidc_port) as issuer:
        async with nats_cluster(work / "nats") as nats:
            values_file.write_text(yaml.safe_dump(_values(ports, nats, oidc_port)))
            host_network = CHART / "ci" / "hostnetwork-values.yaml"
            cluster = Cluster(render("-f", str(host_network), "-f", str(values_file)))
            _secrets(cluster, await _create_databases(pg), nats)
            await wait_until(
                _accepting(oidc_port), timeout_s=30, what="the OpenID provider stand-in"
            )
            with pod_runner(f"saathi-pods-{secrets.token_hex(3)}") as runner:
                platform = Platform(issuer, ports[len(COMPONENTS)], runner, nats)
                _run_jobs(runner, cluster, work / "pods")
                _start_deployments(platform, cluster, work / "pods", ports[len(COMPONENTS) + 1 :])
                await _wait_ready(platform)
                yield platform, cluster


def _accepting(port: int) -> Callable[[], Awaitable[bool]]:
    async def probe() -> bool:
        return accepts_connections(port)

    return probe
