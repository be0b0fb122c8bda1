"""The HTTP side of the bad-input corpus: http_cases.yaml against the app in process, plus
what a table cannot say (a 1 GiB body streamed over a socket, forged X-Forwarded-For)."""

from __future__ import annotations

import base64
import os
import re
import resource
import select
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from fastapi import FastAPI
from fastapi.testclient import TestClient

from portal.server import create_app
from portal.settings import PROJECT_ROOT, Settings
from tests.api.conftest import build_catalogue, free_port, serve
from tests.badinput.corpus import COMMITTED, ENGLISH, JAPANESE
from tests.badinput.harness import MEMORY_CAP_BYTES, PORTAL, _cap_memory
from tests.badinput.inputs import generate

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).with_name("http_cases.yaml")).read_text(encoding="utf-8")
)
CASE_KEYS = {"id", "method", "path", "params", "body", "headers", "status", "shape", "contains",
             "lacks", "headers_present", "encoding", "why"}  # fmt: skip
KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ONE_GIB = 1 << 30
CHUNK_BYTES = 1 << 20
# The body may be buffered by the kernel and the server before the cap is noticed; a few MiB
# of it are fine, a server that holds the gigabyte is not.
MAX_RSS_GROWTH_BYTES = 256 << 20
HTTP_RECIPES = ["hostile-cells.yaml", "huge-integer-count.yaml"]
OTHER_CITIES = [
    PROJECT_ROOT / "tests" / "data" / "api" / "aed-suita.yaml",
    PROJECT_ROOT / "pipelines" / "yaizu_public_toilet.yaml",
]


def built(value: Any) -> str:
    """A case's value: a string, or pieces ({repeat: S, times: N}, {base64url: S}) joined."""
    if isinstance(value, list):
        return "".join(built(v) for v in value)
    if isinstance(value, dict) and "repeat" in value:
        return str(value["repeat"]) * int(value["times"])
    if isinstance(value, dict) and "base64url" in value:
        return base64.urlsafe_b64encode(value["base64url"].encode()).decode().rstrip("=")
    return str(value)


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = tmp_path_factory.mktemp("badinput-http")
    sources = root / "sources"
    generate(sources, ["hostile-cells.csv", "huge-integer-count.csv"])
    for name in HTTP_RECIPES:
        (sources / name).write_bytes((COMMITTED / name).read_bytes())
    return build_catalogue(root, [sources / n for n in HTTP_RECIPES] + OTHER_CITIES)


@pytest.fixture(scope="module")
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest.fixture(scope="module")
def client(app: FastAPI) -> TestClient:
    # A 500 must show as a 500 here, not as the exception behind it.
    return TestClient(app, raise_server_exceptions=False)


def _param(case: dict[str, Any]) -> object:
    return pytest.param(case, id=case["id"])


def test_the_table_is_complete() -> None:
    problems = [f"{c['id']}: unknown key {k}" for c in CASES for k in set(c) - CASE_KEYS]
    problems += [f"{c['id']}: no why" for c in CASES if not c.get("why")]
    ids = [c["id"] for c in CASES]
    problems += [f"duplicate id {i}" for i in sorted({i for i in ids if ids.count(i) > 1})]
    assert problems == []


def error_shape(case: dict[str, Any], response: httpx.Response) -> list[str]:
    shape, status = case.get("shape"), response.status_code
    if shape is None or status < 400:
        return []
    if shape == "html":
        kind = response.headers.get("content-type", "")
        return [] if kind.startswith("text/html") else [f"not an HTML page: {kind}"]
    try:
        body = response.json()
    except ValueError:
        return [f"not JSON: {response.text[:200]!r}"]
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return [f"no error object: {body!r:.300}"]
    if shape == "ckan":
        ok = body.get("success") is False and {"__type", "message"} <= set(error)
        return [] if ok else [f"not CKAN's error shape: {body!r:.300}"]
    problems = []
    if body.get("ok") is not False or error.get("status") != status:
        problems.append(f"not the portal's error shape: {body!r:.300}")
    if not KEBAB.match(str(error.get("code", ""))):
        problems.append(f"code {error.get('code')!r} is not kebab-case")
    if not ENGLISH.search(str(error.get("message_en", ""))):
        problems.append("no English message")
    if not JAPANESE.search(str(error.get("message_ja", ""))):
        problems.append("no Japanese message")
    return problems


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_request(case: dict[str, Any], client: TestClient) -> None:
    # No params at all rather than {}: httpx would drop a query written into the path.
    params = {k: built(v) for k, v in case["params"].items()} if "params" in case else None
    response = client.request(
        case.get("method", "GET"),
        built(case["path"]),
        params=params,
        content=built(case["body"]).encode() if "body" in case else None,
        headers=case.get("headers"),
    )
    text = response.content.decode(case.get("encoding", "utf-8"), "replace")
    expected = case["status"] if isinstance(case["status"], list) else [case["status"]]
    problems = [] if response.status_code in expected else [f"status {response.status_code}"]
    problems += error_shape(case, response)
    problems += ["a traceback in the body"] if "Traceback" in text else []
    problems += [f"lacks {s!r}" for s in case.get("contains", []) if s not in text]
    problems += [f"holds {s!r}" for s in case.get("lacks", []) if s in text]
    problems += [
        f"no {h} header" for h in case.get("headers_present", []) if h not in response.headers
    ]
    assert not problems, (
        f"{case['id']}: expected {expected} ({case['why']})\n"
        + "\n".join(f"- {p}" for p in problems)
        + f"\n--- {response.status_code} {response.headers.get('content-type')}\n{text[:1500]}"
    )


def test_validation_report_shows_hostile_values_as_text(client: TestClient) -> None:
    """The HTML report under /files/ holds what the data holds: escaped, and sandboxed."""
    dataset = client.get("/api/v1/datasets/272248-aed").json()
    reports = [r for r in dataset["resources"] if r["url"].endswith(".validation.html")]
    assert reports, dataset["resources"]
    response = client.get(reports[0]["url"])
    assert response.status_code == 200
    assert "<script>alert(" not in response.text and "<img src=x onerror" not in response.text
    assert "HYPERLINK" in response.text  # the formula cells are reported, as text
    assert "content-security-policy" in response.headers
    assert response.headers.get("x-content-type-options") == "nosniff"


# --- a body of 1 GiB, streamed --------------------------------------------------------------


def _rss_bytes() -> int:
    """This process's resident memory now (the server runs in it, on a thread)."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize()


def _stream_until_answered(base: str, path: str, total: int) -> tuple[bytes, int, int]:
    """POST `total` bytes in 1 MiB chunks (Transfer-Encoding: chunked) and stop as soon as
    the server answers; returns (answer, bytes sent, the largest RSS growth seen)."""
    host, port = base.removeprefix("http://").split(":")
    head = (f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            "Transfer-Encoding: chunked\r\n\r\n").encode()  # fmt: skip
    chunk = b"%x\r\n" % CHUNK_BYTES + b"[" * CHUNK_BYTES + b"\r\n"
    start_rss, growth, sent = _rss_bytes(), 0, 0
    with socket.create_connection((host, int(port)), timeout=30) as conn:
        conn.sendall(head)
        while sent < total:
            if select.select([conn], [], [], 0)[0]:
                break  # the server has answered: no need to send on
            try:
                conn.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break  # it closed the connection after answering
            sent += CHUNK_BYTES
            growth = max(growth, _rss_bytes() - start_rss)
            assert growth < MAX_RSS_GROWTH_BYTES, f"the server holds the body: +{growth:,} bytes"
        conn.settimeout(10)
        answer = conn.recv(65536)
    return answer, sent, growth


def test_a_gigabyte_body_is_refused_while_it_streams(app: FastAPI) -> None:
    started = time.monotonic()
    for base in serve(app):
        answer, sent, growth = _stream_until_answered(base, "/api/3/action/package_search", ONE_GIB)
    text = answer.decode("utf-8", "replace")
    assert text.startswith("HTTP/1.1 413"), text[:500]
    assert '"success":false' in text.replace(" ", ""), text[:500]
    assert sent < ONE_GIB, "the whole gigabyte went in before the answer"
    assert time.monotonic() - started < 60
    assert growth < MAX_RSS_GROWTH_BYTES


# --- `portal serve` as a clerk's server runs it ------------------------------------------------


@pytest.fixture(scope="module")
def served(settings: Settings) -> Iterator[str]:
    """`portal serve` in a child process under the memory cap, rate limit 3 a minute: what
    an installation runs (uvicorn's own proxy handling included), not the in-process app."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PORTAL_", "CKAN_"))}
    env |= {"PORTAL_DATA_DIR": str(settings.data_dir), "PORTAL_RATE_LIMIT": "3"}
    child = subprocess.Popen(
        [str(PORTAL), "serve", "--port", str(port)], env=env, stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        preexec_fn=lambda: _cap_memory(MEMORY_CAP_BYTES),
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(child, base)
        yield base
    finally:
        child.terminate()
        child.wait(timeout=30)


def _wait_until_up(child: subprocess.Popen[bytes], base: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        assert child.poll() is None, child.communicate()[1].decode("utf-8", "replace")
        try:
            httpx.get(base + "/api/3/action/status_show", timeout=2)
            return
        except httpx.TransportError:
            assert time.monotonic() < deadline, "portal serve did not start within 60 s"
            time.sleep(0.2)


def test_served_refuses_a_gigabyte_under_the_memory_cap(served: str) -> None:
    answer, sent, _ = _stream_until_answered(served, "/api/3/action/package_search", ONE_GIB)
    assert answer.decode("utf-8", "replace").startswith("HTTP/1.1 413"), answer[:500]
    assert sent < ONE_GIB
    assert httpx.get(served + "/api/3/action/status_show").status_code == 200  # still up


def test_forwarded_for_from_an_untrusted_client_does_not_reset_the_limit(served: str) -> None:
    """A client on loopback (no proxy configured) cannot pose as many clients to escape the
    rate limit by sending X-Forwarded-For (defect 13)."""
    with httpx.Client(base_url=served) as http:
        statuses = [
            http.get(
                "/api/v1/datasets/272051-aed/rows", headers={"X-Forwarded-For": f"203.0.113.{i}"}
            ).status_code
            for i in range(6)
        ]
    assert statuses[:3] == [200, 200, 200] and 429 in statuses, statuses
