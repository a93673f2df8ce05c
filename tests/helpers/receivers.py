"""A local HTTP receiver standing in for a provider (an SMS gateway's webhook): it records each
request and answers as the test says. It listens on 127.0.0.1 only."""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Answer = Callable[[str, bytes], tuple[int, bytes]]
"""(path, body) → (status, body of the answer)."""


@dataclass(frozen=True)
class Request:
    """One request the receiver got, and the status it answered."""

    path: str
    headers: dict[str, str]
    body: bytes
    status: int


@dataclass
class Receiver:
    """Where the receiver listens, and what it got so far."""

    url: str
    requests: list[Request] = field(default_factory=list)


@contextmanager
def http_receiver(answer: Answer) -> Iterator[Receiver]:
    """A threaded HTTP server on a free port of 127.0.0.1 for the duration of the block."""
    got = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            status, reply = answer(self.path, body)
            got.requests.append(Request(self.path, dict(self.headers.items()), body, status))
            self.send_response(status)
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args: object) -> None:
            pass  # the test asserts on what was received, not on the server's log

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    got.url = f"http://127.0.0.1:{server.server_port}"
    try:
        yield got
    finally:
        server.shutdown()
        server.server_close()
