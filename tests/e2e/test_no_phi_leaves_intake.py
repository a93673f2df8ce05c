"""A realistic workload carrying marker PHI (names, MRNs, phone numbers, an ABHA number)
through REST and HL7 over MLLP, across the four processes: none of the markers may appear
in any event, subject or header on NATS (dead letters included), in any log, in any span the
services export to a collector, or in any service's metrics. (It found FastAPI's own spans
recording the MRN of a patient lookup from the query string.)"""

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import httpx
import pytest

from e2e.conftest import running_stack
from e2e.flow import Admitted, discharge, fetch_all, seed, settled
from helpers import factories
from helpers.hl7 import codes
from helpers.streams import stream_messages
from helpers.waiting import wait_until
from saathi_stack.hl7_samples import admission
from shared.streams import STREAMS

pytestmark = pytest.mark.e2e

MARKERS = {
    "names": ["Qwertymarker", "Zxcvbmarker", "Hl7familymarker", "Hl7givenmarker"],
    "mrns": ["MRKMRN4417", "MRKMRN5528", "MRKHL76639"],
    "phones": ["+919830077141", "9830077252"],
    "abha": ["91-7771-4441-2222", "91777144412222"],  # as sent, and as the vault keeps it
}


@pytest.fixture
def collector() -> Iterator[tuple[str, list[bytes]]]:
    """An OTLP/HTTP endpoint that keeps every batch of spans it is sent."""
    received: list[bytes] = []

    class Collector(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            received.append(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", received
    finally:
        server.shutdown()


async def test_marker_phi_never_leaves_intake(tmp_path, dbs, collector):
    endpoint, spans = collector
    env = {"OTEL_EXPORTER_OTLP_ENDPOINT": endpoint}
    async with running_stack(tmp_path, dbs, env) as stack:
        intake = stack.url("intake")
        async with httpx.AsyncClient(timeout=10, headers=stack.auth_headers()) as client:
            await seed(client, stack, mentors_per_branch=1, capacity=5)
            stays = []
            for n, (given, family) in enumerate([MARKERS["names"][:2], MARKERS["names"][1::-1]]):
                body = factories.admission(
                    "kol-salt-lake",
                    mrn=MARKERS["mrns"][n],
                    given_name=given,
                    family_name=family,
                    phone=MARKERS["phones"][n],
                    consent=factories.consent(),
                    **({"abha": MARKERS["abha"][0]} if n == 0 else {}),
                )
                made = await client.post(f"{intake}/admissions", json=body)
                assert made.status_code == 201, made.text
                episode = made.json()["episode"]
                stays.append(
                    Admitted(episode["episode_id"], episode["patient_ref"], "kol-salt-lake")
                )
            hl7 = admission(
                control_id="PHI-A01-1",
                mrn=MARKERS["mrns"][2],
                visit="PHI-V1",
                branch="kol-salt-lake",
                ward="ward-a",
                family=MARKERS["names"][2],
                given=MARKERS["names"][3],
                language="bn",
            )
            assert await codes(stack.config.mllp_port, hl7) == ["AA"]
            found = await client.get(
                f"{intake}/patients",
                params={"authority": "SAATHI", "type": "MR", "value": MARKERS["mrns"][2]},
            )
            ref = found.json()["patient_ref"]
            await client.put(f"{intake}/patients/{ref}/consent", json=factories.consent())
            await wait_until(
                lambda: settled(client, stack, stays), timeout_s=60, what="matched or waiting"
            )
            await discharge(client, stack, stays)
            await wait_until(
                lambda: fetch_all(client, f"{stack.url('aftercare')}/enrolments"),
                lambda rows: len(rows) == 2,
                timeout_s=60,
                what="both discharges enrolled",
            )
            # Spans leave in batches every few seconds.
            await wait_until(lambda: _count(spans), timeout_s=30, what="spans exported")
            metrics = [
                (await client.get(f"{stack.url(name)}/metrics")).text
                for name in ("intake", "matching", "sessions", "aftercare")
            ]
            on_nats = [
                message
                for spec in STREAMS
                for message in await stream_messages(stack.nats_url, spec.name)
            ]
    # The stack has stopped: every log is flushed and every span batch exported.
    logs = [path.read_text() for path in (tmp_path / "stack" / "logs").glob("*.log")]
    assert on_nats and logs and metrics
    assert spans, "the services exported no spans to the collector"
    haystacks = {
        "NATS subjects": [m.subject for m in on_nats],
        "NATS payloads": [m.data.decode("utf-8", "replace") for m in on_nats],
        "NATS headers": [repr(m.headers) for m in on_nats],
        "logs": logs,
        "spans": [body.decode("utf-8", "replace") for body in spans],
        "metrics": metrics,
    }
    for kind, values in MARKERS.items():
        for marker in values:
            for where, texts in haystacks.items():
                hits = [
                    t[max(0, t.find(marker) - 300) : t.find(marker) + 60]
                    for t in texts
                    if marker in t
                ]
                assert not hits, f"{kind} marker in {where}: {hits[0]!r}"


async def _count(items: list[bytes]) -> int:
    return len(items)
