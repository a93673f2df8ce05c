"""The chart's rendered pods, started from the built image exactly as rendered, run the platform:
probes answer, HL7 over MLLP becomes matches and aftercare enrolments, and killing a replica
of matching and of aftercare in the middle of the load loses and doubles nothing."""

from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import nats
import pytest

from chart.render import of_kind
from e2e.flow import fetch_all
from helpers import factories
from helpers.hl7 import codes
from helpers.pods import Cluster
from helpers.waiting import wait_until
from pods.platform import Platform, running_platform
from saathi_stack.hl7_samples import admission, discharge
from shared.streams import STREAMS

pytestmark = pytest.mark.pods

BRANCH = "kol-salt-lake"
PATIENTS = 30
KILL_AFTER = 10


def _a01(n: int) -> bytes:
    return admission(
        control_id=f"POD-A01-{n}",
        mrn=f"POD-M{n}",
        visit=f"POD-V{n}",
        branch=BRANCH,
        ward="ward-a",
        family="Podpatient",
        given=f"Marker{n}",
        language="bn",
    )


def _a03(n: int) -> bytes:
    return discharge(
        control_id=f"POD-A03-{n}", mrn=f"POD-M{n}", visit=f"POD-V{n}", branch=BRANCH, ward="ward-a"
    )


async def _consent(client: httpx.AsyncClient, intake: str, n: int) -> None:
    key = {"authority": "SAATHI", "type": "MR", "value": f"POD-M{n}"}
    found = await client.get(f"{intake}/patients", params=key)
    assert found.status_code == 200, found.text
    given = await client.put(
        f"{intake}/patients/{found.json()['patient_ref']}/consent", json=factories.consent()
    )
    assert given.status_code == 200, given.text


async def _seed(client: httpx.AsyncClient, platform: Platform) -> None:
    for n in range(4):
        mentor = factories.mentor(mentor_id=f"pod-m{n}", branches=[BRANCH], capacity=10)
        created = await client.post(f"{platform.url('matching-0')}/mentors", json=mentor)
        assert created.status_code == 201, created.text
    group = factories.group(BRANCH, "pod-m0", capacity=50)
    await wait_until(
        lambda: client.post(f"{platform.url('sessions-0')}/groups", json=group),
        lambda r: r.status_code == 201,
        timeout_s=60,
        what="the outpatient group set up once sessions knows the facilitator",
    )


async def _each_once(client: httpx.AsyncClient, url: str, key: str) -> None:
    """Every patient's row arrives at `url`, none of them twice (redelivered work not redone)."""
    rows = await wait_until(
        lambda: fetch_all(client, url),
        lambda rows: len(rows) >= PATIENTS,
        timeout_s=120,
        what=f"{PATIENTS} rows at {url}",
    )
    per_patient = Counter(row[key] for row in rows)
    assert len(per_patient) == PATIENTS and set(per_patient.values()) == {1}, per_patient


def _kill(platform: Platform, pod: str) -> None:
    for container in platform.pods[pod].containers.values():
        container.kill()
        container.reload()
        assert container.status != "running", f"{pod} still running after docker kill"


async def test_pods_run_as_rendered_restricted(rendered: tuple[Platform, Cluster]) -> None:
    platform, _ = rendered
    for pod in platform.pods.values():
        for container in pod.containers.values():
            container.reload()
            assert container.status == "running", pod.logs()
            assert container.attrs["HostConfig"]["ReadonlyRootfs"] is True
            assert container.attrs["Config"]["User"] == "10001:10001"
            assert container.attrs["HostConfig"]["CapDrop"] == ["ALL"]
            assert container.attrs["HostConfig"]["NetworkMode"] == "host"


async def test_streams_provisioned_with_three_replicas(rendered: tuple[Platform, Cluster]) -> None:
    platform, _ = rendered
    connection = await nats.connect(platform.nats.url_as("ops"))
    try:
        js = connection.jetstream()
        for spec in STREAMS:
            info = await js.stream_info(spec.name)
            assert info.config.num_replicas == 3, spec.name
            assert info.cluster is not None and len(info.cluster.replicas or []) == 2
    finally:
        await connection.close()


async def test_probes_answer_as_rendered(rendered: tuple[Platform, Cluster]) -> None:
    platform, cluster = rendered
    async with httpx.AsyncClient(timeout=5) as client:
        for deployment in of_kind(cluster.objects, "Deployment"):
            component = deployment["metadata"]["labels"]["app.kubernetes.io/component"]
            [container] = deployment["spec"]["template"]["spec"]["containers"]
            for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
                path = container[probe]["httpGet"]["path"]
                answer = await client.get(f"{platform.url(f'{component}-0')}{path}")
                assert answer.status_code == 200, (component, probe, answer.text)


async def test_hl7_becomes_matches_and_enrolments_through_replica_kills(
    rendered: tuple[Platform, Cluster],
) -> None:
    platform, _ = rendered
    intake, mllp = platform.url("intake-0"), platform.mllp_port
    async with httpx.AsyncClient(timeout=10, headers=platform.headers()) as client:
        await _seed(client, platform)
        for n in range(PATIENTS):
            if n == KILL_AFTER:
                _kill(platform, "matching-0")
            assert await codes(mllp, _a01(n)) == ["AA"]
            await _consent(client, intake, n)
        await _each_once(client, f"{platform.url('matching-1')}/matches", "episode_id")

        for n in range(PATIENTS):
            if n == KILL_AFTER:
                _kill(platform, "aftercare-0")
            assert await codes(mllp, _a03(n)) == ["AA"]
        await _each_once(client, f"{platform.url('aftercare-1')}/enrolments", "patient_ref")


@pytest.fixture(scope="module")
async def rendered(
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[tuple[Platform, Cluster]]:
    """The platform from the rendered chart, once for this module."""
    work: Path = tmp_path_factory.mktemp("pods")
    async with running_platform(work) as started:
        yield started
