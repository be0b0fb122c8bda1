"""A URL with raw UTF-8 in it, as curl sends `?名称=公園` (it percent-encodes a path but not a
query): `portal serve` answers it as the percent-encoded URL a browser sends, and a request
no parser can read gets the API's JSON error shape, not uvicorn's plain text. Sent as raw
bytes over a real socket to a real `portal serve` process."""

from __future__ import annotations

import json
import socket
import subprocess
import time
from collections.abc import Iterator
from urllib.parse import quote

import pytest

from portal.settings import Settings
from tests import serving
from tests.serving import portal_environment

ROWS = "/api/v1/datasets/272051-aed/rows"


@pytest.fixture(scope="module")
def base(api_settings: Settings) -> Iterator[str]:
    environ = portal_environment(api_settings.data_dir, api_settings.effective_database_url,
                                 PORTAL_DATASETS_DIR=str(api_settings.datasets_dir))  # fmt: skip
    with serving.portal_serve(environ) as url:
        yield url


def raw_get(base: str, target: bytes) -> tuple[int, dict[str, str], bytes]:
    """GET `target` exactly as given (no client encodes it): status, headers, body."""
    host, port = base.removeprefix("http://").split(":")
    request = b"GET " + target + b" HTTP/1.1\r\nHost: " + host.encode() + b"\r\n"
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(request + b"Accept: */*\r\nConnection: close\r\n\r\n")
        answer = b"".join(iter(lambda: s.recv(65536), b""))
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines)}
    return int(status_line.split()[1]), headers, body


def test_a_raw_utf8_query_is_read_as_its_percent_encoding(base: str) -> None:
    raw = raw_get(base, f"{ROWS}?名称__like=体育館&limit=3".encode())
    encoded = raw_get(base, f"{ROWS}?{quote('名称')}__like={quote('体育館')}&limit=3".encode())
    assert raw[0] == 200, raw[2][:300]
    rows = json.loads(raw[2])["rows"]
    assert rows and all("体育館" in r["名称"] for r in rows)
    assert raw[2] == encoded[2]


def test_raw_utf8_split_between_reads_and_on_a_kept_alive_connection(base: str) -> None:
    """A request line that arrives in two reads (a character cut in two), then a second
    request on the same connection: both read as their percent-encoding."""
    host, port = base.removeprefix("http://").split(":")
    first = f"GET {ROWS}?名称__like=体育館&limit=1 HTTP/1.1\r\nHost: x\r\n\r\n".encode()
    cut = first.index("育".encode()) + 1
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(first[:cut])
        time.sleep(0.2)  # the server reads the first part alone
        s.sendall(first[cut:])
        reader = s.makefile("rb")
        assert b" 200 " in reader.readline()
        headers = list(iter(reader.readline, b"\r\n"))
        length = next(
            int(h.split(b":")[1]) for h in headers if h.lower().startswith(b"content-length")
        )
        assert "体育館" in json.loads(reader.read(length))["rows"][0]["名称"]
        s.sendall(f"GET {ROWS}?名称__like=公園&limit=1 HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        assert b" 200 " in reader.readline()


def test_a_raw_utf8_path_is_read_too(base: str) -> None:
    status, headers, body = raw_get(base, "/api/v1/datasets/存在しない".encode())
    assert status == 404 and headers["content-type"] == "application/json"
    assert "存在しない" in json.loads(body)["error"]["message_ja"]


def test_curl_with_a_raw_japanese_parameter_gets_rows(base: str) -> None:
    """What a reader pastes into bash: curl sends the query's bytes as they are."""
    done = subprocess.run(f"curl -sS -w '\\n%{{http_code}}' '{base}{ROWS}?名称__like=体育館'",
                          shell=True, capture_output=True, timeout=30, check=False)  # fmt: skip
    answer, _, status = done.stdout.rpartition(b"\n")
    assert status == b"200", answer[:300]
    assert "体育館" in json.loads(answer)["rows"][0]["名称"]


@pytest.mark.parametrize("target", [b"/api/v1/datasets?q=a b", b"/api/v1/datasets?q=\x01"])
def test_an_unreadable_request_gets_the_json_error_shape(base: str, target: bytes) -> None:
    status, headers, body = raw_get(base, target)
    assert status == 400 and headers["content-type"] == "application/json"
    error = json.loads(body)["error"]
    assert json.loads(body)["ok"] is False and error["code"] == "bad-http-request"
    assert (
        "percent-encoded" in error["message_en"] and "パーセントエンコード" in error["message_ja"]
    )
