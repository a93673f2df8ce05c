"""What ops read off intake: each HTTP request counted under its route template (never a path
with an id in it), and each HL7 message over MLLP in a server span of its own, named by its
type, whose trace its events carry, with its ACK time counted under the ACK code."""

import asyncio

import httpx
import pytest

from console.app import create_app as create_console
from console.config import ConsoleSettings
from helpers.hl7 import codes, corpus
from helpers.intake import mllp_port, published
from helpers.metrics import scraped, value
from helpers.spans import named, span_recorder


def requests(route: str, status: str, method: str = "GET") -> float:
    return value(
        "saathi_http_requests_total", service="intake", method=method, route=route, status=status
    )


async def test_requests_are_counted_by_route_template_not_by_path(intake):
    missing, unknown = requests("/episodes/{episode_id}", "404"), requests("unmatched", "404")
    scrapes = requests("/metrics", "200")

    assert (await intake.client.get("/episodes/ep_does_not_exist")).status_code == 404
    assert (await intake.client.get("/no/such/page/pt_123")).status_code == 404
    page = (await intake.client.get("/metrics")).text

    assert requests("/episodes/{episode_id}", "404") == missing + 1
    assert requests("unmatched", "404") == unknown + 1
    assert "ep_does_not_exist" not in page and "pt_123" not in page
    # The scrape is counted once it has answered, so the next scrape shows it.
    assert requests("/metrics", "200") == scrapes + 1
    timed = {"service": "intake", "method": "GET", "route": "/episodes/{episode_id}"}
    assert (scraped(page, "saathi_http_request_duration_seconds_count", **timed) or 0) >= 1


async def test_an_hl7_message_is_a_server_span_whose_trace_its_event_carries(intake, clean_nats):
    recorder = span_recorder()
    accepted = value("saathi_hl7_ack_seconds_count", ack_code="AA")

    assert await codes(mllp_port(intake.runtime), corpus("a01_v231_crlf_zseg.hl7")) == ["AA"]

    [span] = named(recorder, "MLLP ADT^A01")
    assert span.kind.name == "SERVER"
    assert dict(span.attributes or {}) == {
        "network.protocol.name": "mllp",
        "hl7.message_type": "ADT^A01",
        "hl7.sender": "SALTLAKE",
        "hl7.ack_code": "AA",
    }
    [admitted, *_] = await published(clean_nats, 1)
    assert admitted.headers["traceparent"].split("-")[1] == format(span.context.trace_id, "032x")
    assert value("saathi_hl7_ack_seconds_count", ack_code="AA") == accepted + 1


@pytest.mark.parametrize(
    ("name", "code", "message_type", "sender"),
    [
        ("bad_unknown_sender.hl7", "AR", "ADT^A01", "unknown"),
        ("bad_missing_pid3.hl7", "AE", "ADT^A01", "SALTLAKE"),
        ("bad_unsupported_type.hl7", "AR", "other", "SALTLAKE"),
    ],
)
async def test_refused_messages_are_timed_and_traced_under_their_ack_code(
    intake, name, code, message_type, sender
):
    recorder = span_recorder()
    before = value("saathi_hl7_ack_seconds_count", ack_code=code)

    assert await codes(mllp_port(intake.runtime), corpus(name)) == [code]

    [span] = [s for s in recorder.get_finished_spans() if s.name.startswith("MLLP")]
    assert span.name == f"MLLP {message_type}"
    assert (span.attributes or {})["hl7.ack_code"] == code
    assert (span.attributes or {})["hl7.sender"] == sender
    assert value("saathi_hl7_ack_seconds_count", ack_code=code) == before + 1


async def test_messages_committed_together_each_keep_their_own_trace(intake, clean_nats):
    recorder = span_recorder()
    admissions = [
        "a01_v231_crlf_zseg.hl7",
        "a04_v25_lf_his.hl7",
        "a01_v24_latin1_declared.hl7",
        "a01_v251_latin1_undeclared.hl7",
        "a01_v28_bengali_utf8_enhanced.hl7",
    ]
    port = mllp_port(intake.runtime)

    # Sent at once on five connections, they are applied in one group commit (mostly).
    answers = await asyncio.gather(*(codes(port, corpus(name)) for name in admissions))

    assert all(answer[-1] == "AA" for answer in answers)
    spans = [s for s in recorder.get_finished_spans() if s.name.startswith("MLLP ADT^")]
    events = await published(clean_nats, len(admissions))
    carried = {m.headers["traceparent"].split("-")[1] for m in events}
    assert carried == {format(s.context.trace_id, "032x") for s in spans}
    assert len(carried) == len(admissions)


async def test_the_console_serves_its_metrics_and_counts_its_screens():
    app = create_console(
        ConsoleSettings(session_secret="s" * 40, cookie_secure=False, live_events=False)  # type: ignore[call-arg]
    )
    transport = httpx.ASGITransport(app=app)
    before = value(
        "saathi_http_requests_total", service="console", method="GET", route="/", status="303"
    )
    async with httpx.AsyncClient(transport=transport, base_url="http://console.test") as client:
        assert (await client.get("/")).status_code == 303  # to sign-in
        page = await client.get("/metrics")
    assert page.status_code == 200
    counted = {"service": "console", "method": "GET", "route": "/", "status": "303"}
    assert scraped(page.text, "saathi_http_requests_total", **counted) == before + 1


async def test_a_request_span_is_named_by_its_route_template(intake):
    recorder = span_recorder()

    assert (await intake.client.get("/episodes/ep_secret_id")).status_code == 404

    [span] = named(recorder, "GET /episodes/{episode_id}")
    assert (span.attributes or {})["http.route"] == "/episodes/{episode_id}"
    assert "ep_secret_id" not in str(dict(span.attributes or {}))
