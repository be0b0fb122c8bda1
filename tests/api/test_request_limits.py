"""Request bodies are capped while they arrive (PORTAL_MAX_BODY_BYTES): a 413 in the error
shape of the path, without reading the body first — checked over a real socket, where a
server that buffered the body would still be waiting for it."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from portal.server import create_app
from portal.settings import Settings
from tests.api.conftest import serve

LIMIT = 4096


@pytest.fixture(scope="module")
def limited(api_settings: Settings) -> FastAPI:
    return create_app(api_settings.model_copy(update={"max_body_bytes": LIMIT}))


@pytest.fixture(scope="module")
def limited_server(limited: FastAPI) -> Iterator[str]:
    yield from serve(limited)


def test_a_body_within_the_limit_is_answered(limited: FastAPI) -> None:
    body = {"q": "AED", "rows": 2, "padding": "x" * (LIMIT - 100)}
    response = TestClient(limited).post("/api/3/action/package_search", json=body)
    assert response.status_code == 200 and response.json()["success"] is True


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_larger_body_is_a_413_in_ckans_shape(limited: FastAPI, chunked: bool) -> None:
    body = json.dumps({"q": "AED", "padding": "x" * LIMIT}).encode()
    content = iter([body[:1000], body[1000:]]) if chunked else body
    response = TestClient(limited).post("/api/3/action/package_search", content=content,
                                        headers={"Content-Type": "application/json"})  # fmt: skip
    assert response.status_code == 413
    answer = response.json()  # CKAN's error shape under /api/3/action, as ckanapi parses it
    assert answer["success"] is False and "4,096 bytes" in answer["error"]["message"]


def test_a_larger_body_elsewhere_is_a_413_in_the_portals_shape(limited: FastAPI) -> None:
    response = TestClient(limited).post("/api/v1/datasets", content=b"x" * (LIMIT + 1))
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "request-too-large" and error["status"] == 413
    assert "4,096" in error["message_en"] and "4,096 バイト" in error["message_ja"]


def exchange(base: str, head: str, body: bytes, timeout: float = 5.0) -> str:
    """Send a request's head and only part of its body; read what the server answers."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as conn:
        conn.sendall(head.encode() + body)
        try:
            return conn.recv(65536).decode("utf-8", "replace")
        except TimeoutError:
            return "(no answer: the server is still reading the body)"


def test_a_declared_gigabyte_is_refused_before_it_is_sent(limited_server: str) -> None:
    head = ("POST /api/3/action/package_search HTTP/1.1\r\nHost: test\r\n"
            f"Content-Type: application/json\r\nContent-Length: {2**30}\r\n\r\n")  # fmt: skip
    answer = exchange(limited_server, head, b'{"q": "')
    assert answer.startswith("HTTP/1.1 413"), answer
    assert '"success":false' in answer


def test_a_chunked_body_is_refused_once_it_passes_the_limit(limited_server: str) -> None:
    head = ("POST /api/3/action/package_search HTTP/1.1\r\nHost: test\r\n"
            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")  # fmt: skip
    chunk = b"x" * 1024
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(LIMIT // 1024 + 1))
    answer = exchange(limited_server, head, chunks)  # no last chunk: the body never ends
    assert answer.startswith("HTTP/1.1 413"), answer
