"""With OTEL_EXPORTER_OTLP_ENDPOINT set, a service's spans reach the collector over OTLP/HTTP."""

import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

SCRIPT = """
from opentelemetry import trace
from shared.tracing import configure_tracing, tracer
configure_tracing("intake")
with tracer().start_as_current_span("POST /admissions"):
    pass
trace.get_tracer_provider().shutdown()  # flushes the batch exporter
"""


def test_spans_are_exported_to_the_configured_collector():
    received: list[tuple[str, bytes]] = []

    class Collector(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.path, body))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        endpoint = f"http://127.0.0.1:{server.server_port}"
        subprocess.run(
            [sys.executable, "-c", SCRIPT],
            env={"OTEL_EXPORTER_OTLP_ENDPOINT": endpoint, "PATH": ""},
            check=True,
            timeout=60,
        )
    finally:
        server.shutdown()
    [(path, body)] = received
    assert path == "/v1/traces"
    assert b"POST /admissions" in body and b"intake" in body
