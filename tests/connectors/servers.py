"""Test servers for the connectors: real HTTP servers on 127.0.0.1, each in a thread, that
RECORD what they receive (method, path, headers, body) and answer what the test configures —
a status and body, a sequence of answers (503 then 200), a delay, or a hang (for timeouts).

    def test_x(recording_server: RecordingServer) -> None:
        recording_server.route("POST", "/v2/op/update", Answer(204))
        recording_server.route("GET", "/file.csv", Answer(503), Answer(200, b"a,b\\n"))
        ... call recording_server.url + "/file.csv" ...
        assert recording_server.requests[0].headers["user-agent"].startswith("municipal-")

Answers for a route are used in order, the last one repeating; a route may also be a function
of the request (`route_fn`). Unrouted requests get 404. `hang` answers hold the connection
open without a byte until the server stops (bounded by HANG_LIMIT)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

HOST = "127.0.0.1"
HANG_LIMIT = 60.0  # a hanging answer gives up after this, whatever the test does


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str  # without the query
    query: dict[str, list[str]]
    headers: dict[str, str]  # names lower-cased
    body: bytes
    target: str  # the request target as sent: path?query

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Answer:
    status: int = 200
    body: bytes | str | Any = b""  # bytes/str as is; anything else sent as JSON
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering
    hang: bool = False  # never answer (until the server stops)
    unsized: bool = False  # no Content-Length: the body ends when the connection closes

    def encoded(self) -> tuple[bytes, dict[str, str]]:
        headers = dict(self.headers)
        if isinstance(self.body, bytes):
            return self.body, headers
        if isinstance(self.body, str):
            headers.setdefault("Content-Type", "text/plain; charset=utf-8")
            return self.body.encode("utf-8"), headers
        headers.setdefault("Content-Type", "application/json")
        return json.dumps(self.body, ensure_ascii=False).encode("utf-8"), headers


Responder = Callable[[Recorded], Answer]


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up mid-answer (a size cap, a timeout) is what tests do."""


class RecordingServer:
    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self._routes: dict[tuple[str, str], list[Answer] | Responder] = {}
        self._lock = threading.Lock()
        self.stopping = threading.Event()
        self._http = _QuietServer((HOST, 0), _handler(self))
        self._http.daemon_threads = True
        self.port = self._http.server_address[1]
        self.host = HOST
        self.url = f"http://{HOST}:{self.port}"
        self._thread = threading.Thread(target=self._http.serve_forever, daemon=True,
                                        name=f"recording-server-{self.port}")  # fmt: skip

    def route(self, method: str, path: str, *answers: Answer) -> RecordingServer:
        """Answer `method path` with these answers in turn (the last repeats)."""
        self._routes[(method.upper(), path)] = list(answers) or [Answer()]
        return self

    def route_fn(self, method: str, path: str, responder: Responder) -> RecordingServer:
        self._routes[(method.upper(), path)] = responder
        return self

    def received(self, method: str | None = None, path: str | None = None) -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if (method is None or r.method == method.upper())
                    and (path is None or r.path == path)]  # fmt: skip

    def answer_for(self, request: Recorded) -> Answer:
        with self._lock:
            self.requests.append(request)
            found = self._routes.get((request.method, request.path))
            if found is None:
                return Answer(404, {"error": f"no route {request.method} {request.path}"})
            if callable(found):
                responder = found
            else:
                return found.pop(0) if len(found) > 1 else found[0]
        return responder(request)

    def start(self) -> RecordingServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()  # releases hanging answers
        self._http.shutdown()
        self._http.server_close()


def _handler(server: RecordingServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def _any(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            recorded = Recorded(method=self.command, path=parts.path,
                                query=parse_qs(parts.query, keep_blank_values=True),
                                headers={k.lower(): v for k, v in self.headers.items()},
                                body=body, target=self.path)  # fmt: skip
            answer = server.answer_for(recorded)
            if answer.hang:
                server.stopping.wait(HANG_LIMIT)
                self.close_connection = True
                return
            if answer.delay:
                server.stopping.wait(answer.delay)
            payload, headers = answer.encoded()
            self.send_response(answer.status)
            for name, value in headers.items():
                self.send_header(name, value)
            if answer.unsized:
                self.send_header("Connection", "close")
                self.close_connection = True
            else:
                self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _any

    return Handler


@contextmanager
def serving() -> Iterator[RecordingServer]:
    """A started recording server, stopped on exit."""
    server = RecordingServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def recording_server() -> Iterator[RecordingServer]:
    with serving() as server:
        yield server
